import { createClient, maxBotTemplatesPerClient } from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import {
  configure,
  connectAgent,
  fails,
  ok,
  pushOf,
  useConfigurationWorld,
} from './configuration-client.ts';

const world = useConfigurationWorld();

/** Calls a template method for the harness widget client (the templates' owner). */
function template(action: string, payload: Record<string, unknown> = {}) {
  return world.call(world.admin, action, { owner_client_id: world.harness.widget.id, ...payload });
}

function issueBotToken(botId: string, secret: string) {
  return world.call(world.admin, 'issue_bot_token', {
    bot_id: botId,
    client_id: world.harness.widget.id,
    bot_secret: secret,
    organization_id: world.harness.organization.id,
  });
}

describe('bot templates', () => {
  it('stores a template for its client, listed without its secret, and makes no bot by default', async () => {
    await fails(world.call(world.admin, 'create_bot_template', { name: 'X' }), 'validation', 400);
    const created = (await ok(
      template('create_bot_template', {
        name: 'Order Bot',
        avatar: 'https://x.test/bot.png',
        max_chats_count: 12,
        default_group_priority: 'first',
        job_title: 'Orders',
      }),
    )) as { id: string; secret: string };
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      secret: expect.any(String),
    });
    // Every agent of the organization reads templates (as it reads bots); none shows a secret.
    const listed = await ok(
      world.call(world.norma, 'list_bot_templates', { owner_client_id: world.harness.widget.id }),
    );
    expect(listed).toContainEqual({
      id: created.id,
      name: 'Order Bot',
      avatar_path: 'https://x.test/bot.png',
      default_group_priority: 'first',
      max_chats_count: 12,
      job_title: 'Orders',
      owner_client_id: world.harness.widget.id,
    });
    await fails(world.call(world.admin, 'get_bot', { id: created.id }), 'not_found', 404);
    // Without affect_existing_installations a reset or a deletion changes the template only.
    await ok(template('reset_bot_template_secret', { id: created.id }));
    await ok(template('delete_bot_template', { id: created.id }));
    await fails(template('delete_bot_template', { id: created.id }), 'not_found', 404);
  });

  it("affects this organization's bot when asked: created, updated, given the new secret, deleted", async () => {
    const watcher = await connectAgent(world.harness, world.admin);
    const { id, secret } = (await ok(
      template('create_bot_template', {
        name: 'Concierge',
        max_chats_count: 4,
        affect_existing_installations: true,
      }),
    )) as { id: string; secret: string };
    const created = await pushOf(watcher, 'bot_created', { id });
    expect(created.payload).toMatchObject({
      name: 'Concierge',
      max_chats_count: 4,
      owner_client_id: world.harness.widget.id,
      default_group_priority: 'normal',
    });
    await ok(issueBotToken(id, secret));

    await ok(template('update_bot_template', { id, job_title: 'Quiet' }));
    await ok(
      template('update_bot_template', { id, name: 'Butler', affect_existing_installations: true }),
    );
    expect((await pushOf(watcher, 'bot_updated', { id })).payload).toEqual({ id, name: 'Butler' });
    expect(
      await ok(world.call(world.admin, 'get_bot', { id, fields: ['job_title'] })),
    ).toMatchObject({ name: 'Butler', job_title: '' });

    const reset = (await ok(
      template('reset_bot_template_secret', { id, affect_existing_installations: true }),
    )) as { secret: string };
    await fails(issueBotToken(id, secret), 'authorization', 403);
    await ok(issueBotToken(id, reset.secret));

    await ok(template('delete_bot_template', { id, affect_existing_installations: true }));
    await pushOf(watcher, 'bot_deleted', { id });
    await fails(world.call(world.admin, 'get_bot', { id }), 'not_found', 404);
  });

  it('keeps templates to managers, to their client and to their organization', async () => {
    await fails(
      world.call(world.norma, 'create_bot_template', {
        name: 'Nope',
        owner_client_id: world.harness.widget.id,
      }),
      'authorization',
      403,
    );
    const { id } = (await ok(template('create_bot_template', { name: 'Mine' }))) as { id: string };
    const sibling = await createClient(world.harness.db, {
      organizationId: world.harness.organization.id,
      name: 'Sibling app',
    });
    await fails(
      world.call(world.admin, 'update_bot_template', {
        id,
        name: 'Theirs',
        owner_client_id: sibling.id,
      }),
      'not_found',
      404,
    );
    expect(
      await ok(world.call(world.admin, 'list_bot_templates', { owner_client_id: sibling.id })),
    ).toEqual([]);
    // Another organization names our client: refused before anything is looked up.
    await fails(
      world.call(world.stranger, 'list_bot_templates', {
        owner_client_id: world.harness.widget.id,
      }),
      'authorization',
      403,
    );
    await fails(
      world.call(world.stranger, 'delete_bot_template', {
        id,
        owner_client_id: world.harness.widget.id,
      }),
      'authorization',
      403,
    );
  });

  it('allows five templates per client (limit_reached) and none before 3.5', async () => {
    const owner = await createClient(world.harness.db, {
      organizationId: world.harness.organization.id,
      name: 'Busy app',
    });
    for (let index = 0; index < maxBotTemplatesPerClient; index += 1) {
      await ok(
        world.call(world.admin, 'create_bot_template', {
          name: `Bot ${index}`,
          owner_client_id: owner.id,
        }),
      );
    }
    await fails(
      world.call(world.admin, 'create_bot_template', {
        name: 'One more',
        owner_client_id: owner.id,
      }),
      'limit_reached',
      422,
    );
    const legacy = await fetch(
      `${world.harness.gateway.url}/v3.4/configuration/action/list_bot_templates`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: world.admin },
        body: JSON.stringify({ owner_client_id: owner.id }),
      },
    );
    expect(legacy.status).toBe(404);
    expect(await legacy.json()).toMatchObject({ error: { type: 'not_found' } });
    expect(
      (
        await configure(world.harness, world.admin, 'list_bot_templates', {
          owner_client_id: owner.id,
        })
      ).body,
    ).toHaveLength(maxBotTemplatesPerClient);
  });
});
