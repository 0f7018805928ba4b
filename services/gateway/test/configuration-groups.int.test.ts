import { describe, expect, it } from 'vitest';
import { connectAgent, fails, ok, pushOf, useConfigurationWorld } from './configuration-client.ts';

let routing: { agent_id: string; status: string }[] = [];
const world = useConfigurationWorld(() => routing);

describe('groups', () => {
  it('creates a group with members, shows their priorities and the group routing status', async () => {
    const watcher = await connectAgent(world.harness, world.norma);
    const { id } = (await ok(
      world.call(world.admin, 'create_group', {
        name: 'Sports shoes',
        agent_priorities: { 'normal@harness.test': 'last' },
      }),
    )) as { id: number };
    expect(id).toBeGreaterThan(0);
    const push = await pushOf(watcher, 'group_created', { id });
    expect(push.payload).toEqual({
      id,
      name: 'Sports shoes',
      language_code: 'en',
      agent_priorities: { 'normal@harness.test': 'last' },
    });

    routing = [{ agent_id: 'normal@harness.test', status: 'not_accepting_chats' }];
    expect(
      await ok(
        world.call(world.admin, 'get_group', {
          id,
          fields: ['agent_priorities', 'routing_status'],
        }),
      ),
    ).toEqual({
      id,
      name: 'Sports shoes',
      language_code: 'en',
      agent_priorities: { 'normal@harness.test': 'last' },
      routing_status: 'not_accepting_chats',
    });
    routing = [{ agent_id: 'normal@harness.test', status: 'accepting_chats' }];
    const groups = (await ok(
      world.call(world.norma, 'list_groups', { fields: ['routing_status'] }),
    )) as unknown as {
      id: number;
      routing_status: string;
    }[];
    expect(groups.find((group) => group.id === id)?.routing_status).toBe('accepting_chats');
    expect(groups[0]).toMatchObject({ id: 0, name: 'General' });

    const agent = await ok(
      world.call(world.admin, 'get_agent', { id: 'normal@harness.test', fields: ['groups'] }),
    );
    expect(agent.groups).toEqual([
      { id: 0, priority: 'normal' },
      { id, priority: 'last' },
    ]);
  });

  it("updates a group's members and name, and deletes it, with the pushes", async () => {
    const watcher = await connectAgent(world.harness, world.norma);
    const { id } = (await ok(
      world.call(world.admin, 'create_group', {
        name: 'Sales',
        agent_priorities: { 'normal@harness.test': 'normal' },
      }),
    )) as { id: number };
    await ok(
      world.call(world.admin, 'update_group', {
        id,
        name: 'Sales EU',
        agent_priorities: { 'agent@harness.test': 'supervisor' },
      }),
    );
    const updated = await pushOf(watcher, 'group_updated', { id });
    expect(updated.payload).toEqual({
      id,
      name: 'Sales EU',
      agent_priorities: { 'agent@harness.test': 'supervisor' },
    });
    await ok(world.call(world.admin, 'delete_group', { id }));
    await pushOf(watcher, 'group_deleted', { id });
    await fails(world.call(world.admin, 'get_group', { id }), 'group_not_found', 404);
    await fails(
      world.call(world.admin, 'update_group', { id, name: 'Back' }),
      'group_not_found',
      404,
    );
  });

  it('refuses what a group cannot be, and non-managers', async () => {
    await fails(world.call(world.admin, 'delete_group', { id: 0 }), 'validation', 400);
    await fails(
      world.call(world.admin, 'create_group', { name: 'x'.repeat(181) }),
      'validation',
      400,
    );
    await fails(
      world.call(world.admin, 'create_group', {
        name: 'Ghosts',
        agent_priorities: { 'ghost@x.test': 'first' },
      }),
      'not_found',
      404,
    );
    await fails(world.call(world.norma, 'create_group', { name: 'Mine' }), 'authorization', 403);
    // Another organization has a group 0 of its own, with only its own agents, and no other.
    expect(
      await ok(world.call(world.stranger, 'get_group', { id: 0, fields: ['agent_priorities'] })),
    ).toMatchObject({
      agent_priorities: { 'boss@elsewhere.test': 'normal' },
    });
    await fails(world.call(world.stranger, 'get_group', { id: 1 }), 'group_not_found', 404);
  });
});

describe('tags', () => {
  it('creates, lists, updates and deletes tags with their pushes', async () => {
    const watcher = await connectAgent(world.harness, world.norma);
    await ok(world.call(world.admin, 'create_tag', { name: 'docs_feedback', group_ids: [0] }));
    const created = await pushOf(watcher, 'tag_created', { name: 'docs_feedback' });
    expect(created.payload).toMatchObject({ group_ids: [0], author_id: 'agent@harness.test' });
    expect((created.payload as { created_at: string }).created_at).toMatch(/^\d{4}-.*\.\d{6}Z$/);
    await fails(
      world.call(world.admin, 'create_tag', { name: 'DOCS_feedback' }),
      'already_exists',
      409,
    );
    await fails(
      world.call(world.admin, 'create_tag', { name: 'orphans', group_ids: [99] }),
      'group_not_found',
      404,
    );

    await ok(world.call(world.admin, 'create_tag', { name: 'spam' }));
    const filtered = (await ok(
      world.call(world.norma, 'list_tags', { filters: { group_ids: [0] } }),
    )) as unknown as {
      name: string;
    }[];
    expect(filtered.map((tag) => tag.name)).toEqual(['docs_feedback']);

    await ok(world.call(world.admin, 'update_tag', { name: 'spam', group_ids: [0] }));
    expect((await pushOf(watcher, 'tag_updated', { name: 'spam' })).payload).toEqual({
      name: 'spam',
      group_ids: [0],
    });
    await fails(
      world.call(world.admin, 'update_tag', { name: 'SPAM', group_ids: [] }),
      'not_found',
      404,
    );
    await ok(world.call(world.admin, 'delete_tag', { name: 'spam' }));
    await pushOf(watcher, 'tag_deleted', { name: 'spam' });
    await fails(world.call(world.admin, 'delete_tag', { name: 'spam' }), 'not_found', 404);
    await fails(
      world.call(world.norma, 'delete_tag', { name: 'docs_feedback' }),
      'authorization',
      403,
    );
    expect(await ok(world.call(world.stranger, 'list_tags'))).toEqual([]);
  });

  it('lets tag_thread through to chat-store only for a tag that exists', async () => {
    await ok(world.call(world.admin, 'create_tag', { name: 'sales' }));
    const received = world.harness.respond(world.harness.subjects.chatStoreExecute, () => ({}));
    const tagThread = (tag: string) =>
      fetch(`${world.harness.gateway.url}/v3.6/agent/action/tag_thread`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: world.admin },
        body: JSON.stringify({ chat_id: 'PJ0MRSHTDG', thread_id: 'K600PKZON8', tag }),
      });
    const missing = await tagThread('Sales');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { type: 'not_found' } });
    expect(received).toHaveLength(0);
    expect((await tagThread('sales')).status).toBe(200);
    expect(received.map((command) => command.action)).toEqual(['tag_thread']);
  });
});
