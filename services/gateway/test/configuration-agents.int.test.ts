import { authenticate, createAgent, createClient, createOrganization } from '@threadline/accounts';
import { describe, expect, it } from 'vitest';
import {
  connectAgent,
  fails,
  ok,
  pushOf,
  storedChanges,
  useConfigurationWorld,
} from './configuration-client.ts';
import { TestSocket } from './rtm-client.ts';

const world = useConfigurationWorld();

describe('agents', () => {
  it('creates an agent, pushes agent_created to every agent and stores the change for webhooks', async () => {
    const watcher = await connectAgent(world.harness, `Basic ${world.normal.basicCredentials}`);
    const created = await ok(
      world.call(world.admin, 'create_agent', {
        id: 'Smith@Example.com',
        name: 'Agent Smith',
        role: 'administrator',
        groups: [{ id: 0, priority: 'first' }],
        notifications: ['new_visitor'],
        work_scheduler: { monday: { start: '08:00', end: '16:00' } },
      }),
    );
    expect(created).toEqual({ id: 'smith@example.com' });

    const push = await pushOf(watcher, 'agent_created', { id: 'smith@example.com' });
    expect(push.payload).toMatchObject({
      name: 'Agent Smith',
      role: 'administrator',
      groups: [{ id: 0, priority: 'first' }],
      notifications: ['new_visitor'],
      email_subscriptions: [],
      awaiting_approval: false,
      work_scheduler: {
        schedule: [{ day: 'monday', enabled: true, start: '08:00', end: '16:00' }],
      },
    });
    expect(push).not.toHaveProperty('request_id');

    const changes = await storedChanges(world.harness, world.harness.organization.id);
    const change = changes.find((entry) => entry.action === 'agent_created');
    expect(change).toMatchObject({
      organizationId: world.harness.organization.id,
      requester: { userId: 'agent@harness.test', userType: 'agent' },
      requesterAccountId: world.harness.agent.agent.accountId,
      payload: push.payload,
    });

    expect(
      await ok(
        world.call(world.admin, 'get_agent', { id: 'smith@example.com', fields: ['groups'] }),
      ),
    ).toMatchObject({
      id: 'smith@example.com',
      name: 'Agent Smith',
      role: 'administrator',
      login_status: 'accepting chats',
      groups: [{ id: 0, priority: 'first' }],
    });
  });

  it('lists agents (not bots) with the fields asked for and the filters given', async () => {
    const agents = (await ok(
      world.call(world.admin, 'list_agents', {
        fields: ['max_chats_count'],
        filters: { group_ids: [0] },
      }),
    )) as unknown as Record<string, unknown>[];
    expect(agents.map((agent) => agent.id)).toContain('normal@harness.test');
    expect(agents.find((agent) => agent.id === 'agent@harness.test')).toMatchObject({
      max_chats_count: 7,
      avatar_path: '',
    });
    const suspended = await ok(
      world.call(world.admin, 'list_agents', { filters: { suspended: true } }),
    );
    expect(suspended).toEqual([]);
  });

  it('refuses malformed, duplicate and impossible agents with the protocol error types', async () => {
    await fails(
      world.call(world.admin, 'create_agent', { id: 'not-an-email', name: 'X' }),
      'validation',
      400,
    );
    await fails(
      world.call(world.admin, 'create_agent', { id: 'o@x.test', name: 'O', role: 'owner' }),
      'validation',
      400,
    );
    await fails(
      world.call(world.admin, 'create_agent', { id: 'NORMAL@harness.test', name: 'Dup' }),
      'already_exists',
      409,
    );
    await fails(
      world.call(world.admin, 'create_agent', {
        id: 'g@x.test',
        name: 'G',
        groups: [{ id: 42, priority: 'normal' }],
      }),
      'group_not_found',
      404,
    );
    await fails(world.call(world.admin, 'get_agent', { id: 'ghost@x.test' }), 'not_found', 404);
    await fails(world.call(undefined, 'list_agents'), 'authentication', 401);
  });

  it('lets only managers change agents, and normal agents only their own profile', async () => {
    await fails(
      world.call(world.norma, 'create_agent', { id: 'n2@x.test', name: 'N' }),
      'authorization',
      403,
    );
    await ok(
      world.call(world.norma, 'update_agent', { id: 'normal@harness.test', job_title: 'Helper' }),
    );
    await fails(
      world.call(world.norma, 'update_agent', { id: 'normal@harness.test', max_chats_count: 50 }),
      'authorization',
      403,
    );
    await fails(
      world.call(world.norma, 'delete_agent', { id: 'agent@harness.test' }),
      'authorization',
      403,
    );
    // An administrator cannot hand out a higher role than its own.
    await fails(
      world.call(world.admin, 'create_agent', { id: 'v@x.test', name: 'V', role: 'viceowner' }),
      'authorization',
      403,
    );
    await fails(
      world.call(world.admin, 'suspend_agent', { id: 'agent@harness.test' }),
      'authorization',
      403,
    );
  });

  it('updates an agent and pushes only the fields that changed', async () => {
    const watcher = await connectAgent(world.harness, world.admin);
    await ok(
      world.call(world.admin, 'update_agent', {
        id: 'normal@harness.test',
        max_chats_count: 3,
        login_status: 'not accepting chats',
      }),
    );
    const push = await pushOf(watcher, 'agent_updated', {
      id: 'normal@harness.test',
      max_chats_count: 3,
    });
    expect(push.payload).toEqual({
      id: 'normal@harness.test',
      max_chats_count: 3,
      login_status: 'not accepting chats',
    });
    const identity = await authenticate(world.harness.db, `Basic ${world.normal.basicCredentials}`);
    expect(identity).toMatchObject({ maxChatsCount: 3, loginStatus: 'not accepting chats' });
    await ok(
      world.call(world.admin, 'update_agent', {
        id: 'normal@harness.test',
        login_status: 'accepting chats',
      }),
    );
  });

  it('suspends, unsuspends and approves agents, and holds their requests meanwhile', async () => {
    const watcher = await connectAgent(world.harness, world.admin);
    const target = await createAgent(world.harness.db, {
      organizationId: world.harness.organization.id,
      email: 'suspect@harness.test',
      name: 'Suspect',
      awaitingApproval: true,
    });
    const suspect = `Basic ${target.basicCredentials}`;
    await fails(world.call(suspect, 'list_groups'), 'requester_awaiting_approval', 403);
    await ok(world.call(world.admin, 'approve_agent', { id: 'suspect@harness.test' }));
    await pushOf(watcher, 'agent_approved', { id: 'suspect@harness.test' });
    await ok(world.call(suspect, 'list_groups'));

    // A connected agent is logged out when suspended, with a reason not to come back.
    const session = await connectAgent(world.harness, suspect);
    await ok(world.call(world.admin, 'suspend_agent', { id: 'suspect@harness.test' }));
    expect(await session.push('agent_disconnected')).toMatchObject({
      payload: { reason: 'agent_disconnected_by_server' },
    });
    expect((await session.closed).code).toBe(1000);
    await pushOf(watcher, 'agent_suspended', { id: 'suspect@harness.test' });
    await fails(world.call(suspect, 'list_groups'), 'requester_suspended', 403);
    await ok(world.call(suspect, 'request_agent_unsuspension'));
    const socket = await TestSocket.open(world.harness.gateway.url, '/v3.6/agent/rtm/ws');
    expect(await socket.request('login', { token: suspect })).toMatchObject({
      success: false,
      payload: { error: { type: 'requester_suspended' } },
    });
    await ok(world.call(world.admin, 'unsuspend_agent', { id: 'suspect@harness.test' }));
    await pushOf(watcher, 'agent_unsuspended', { id: 'suspect@harness.test' });
    await fails(world.call(suspect, 'request_agent_unsuspension'), 'validation', 400);
    await ok(world.call(suspect, 'list_groups'));
  });

  it('deletes an agent: its credentials stop working and every agent hears it', async () => {
    const watcher = await connectAgent(world.harness, world.admin);
    const doomed = await createAgent(world.harness.db, {
      organizationId: world.harness.organization.id,
      email: 'doomed@harness.test',
      name: 'Doomed',
    });
    const session = await connectAgent(world.harness, `Basic ${doomed.basicCredentials}`);
    await ok(world.call(world.admin, 'delete_agent', { id: 'doomed@harness.test' }));
    await pushOf(watcher, 'agent_deleted', { id: 'doomed@harness.test' });
    expect(await session.push('agent_disconnected')).toMatchObject({
      payload: { reason: 'access_token_revoked' },
    });
    await fails(
      world.call(`Basic ${doomed.basicCredentials}`, 'list_groups'),
      'authentication',
      401,
    );
    await fails(
      world.call(world.admin, 'delete_agent', { id: 'doomed@harness.test' }),
      'not_found',
      404,
    );
  });

  it('keeps organizations apart: another organization sees none of these agents', async () => {
    await fails(
      world.call(world.stranger, 'get_agent', { id: 'agent@harness.test' }),
      'not_found',
      404,
    );
    await fails(
      world.call(world.stranger, 'update_agent', { id: 'agent@harness.test', name: 'Mine' }),
      'not_found',
      404,
    );
    const theirs = (await ok(world.call(world.stranger, 'list_agents'))) as unknown as {
      id: string;
    }[];
    expect(theirs.map((agent) => agent.id)).toEqual(['boss@elsewhere.test']);
  });
});

describe('batch methods', () => {
  it('answers each request of a batch on its own, in order', async () => {
    const body = await ok(
      world.call(world.admin, 'batch_create_agents', {
        requests: [
          { id: 'b1@harness.test', name: 'B1' },
          { id: 'b2@harness.test' },
          { id: 'b1@harness.test', name: 'Again' },
        ],
      }),
    );
    expect(body.responses).toMatchObject([
      { id: 'b1@harness.test' },
      { error: { type: 'validation' } },
      { error: { type: 'already_exists' } },
    ]);
    const deleted = await ok(
      world.call(world.admin, 'batch_delete_agents', { requests: [{ id: 'b1@harness.test' }, {}] }),
    );
    expect(deleted.responses).toMatchObject([{}, { error: { type: 'validation' } }]);
  });

  it('authorizes every request, and refuses a batch that is not one', async () => {
    const body = await ok(
      world.call(world.norma, 'batch_suspend_agents', { requests: [{ id: 'agent@harness.test' }] }),
    );
    expect(body.responses).toMatchObject([{ error: { type: 'authorization' } }]);
    await fails(
      world.call(world.admin, 'batch_update_agents', { requests: [] }),
      'validation',
      400,
    );
    await fails(
      world.call(undefined, 'batch_delete_agents', { requests: [{ id: 'x@x.test' }] }),
      'authentication',
      401,
    );
  });
});

describe('bots', () => {
  it('creates a bot for a client, issues it day-long tokens and resets its secret', async () => {
    const watcher = await connectAgent(world.harness, world.admin);
    await fails(world.call(world.admin, 'create_bot', { name: 'Orphan' }), 'validation', 400);
    const created = (await ok(
      world.call(world.admin, 'create_bot', {
        name: 'Helper Bot',
        owner_client_id: world.harness.widget.id,
        default_group_priority: 'first',
        max_chats_count: 20,
      }),
    )) as { id: string; secret: string };
    expect(created.id).toMatch(/^[0-9a-f]{32}$/);
    const push = await pushOf(watcher, 'bot_created', { id: created.id });
    expect(push.payload).toMatchObject({
      name: 'Helper Bot',
      default_group_priority: 'first',
      owner_client_id: world.harness.widget.id,
      groups: [{ id: 0, priority: 'first' }],
    });

    const issue = (secret: string) =>
      world.call(world.admin, 'issue_bot_token', {
        bot_id: created.id,
        client_id: world.harness.widget.id,
        bot_secret: secret,
        organization_id: world.harness.organization.id,
      });
    const { token } = (await ok(issue(created.secret))) as { token: string };
    const identity = await authenticate(world.harness.db, `Bearer ${token}`);
    expect(identity).toMatchObject({ userType: 'bot', userId: created.id });
    const hours = ((identity?.expiresAt?.getTime() ?? 0) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(23.9);
    expect(hours).toBeLessThanOrEqual(24);
    // The bot reads configuration with its own token, and may not change it.
    expect(
      await ok(
        world.call(`Bearer ${token}`, 'get_bot', { id: created.id, fields: ['max_chats_count'] }),
      ),
    ).toEqual({
      id: created.id,
      name: 'Helper Bot',
      avatar_path: '',
      default_group_priority: 'first',
      owner_client_id: world.harness.widget.id,
      max_chats_count: 20,
    });
    await fails(
      world.call(`Bearer ${token}`, 'delete_bot', { id: created.id }),
      'authorization',
      403,
    );

    const { secret } = (await ok(
      world.call(world.admin, 'reset_bot_secret', {
        id: created.id,
        owner_client_id: world.harness.widget.id,
      }),
    )) as { secret: string };
    await fails(issue(created.secret), 'authorization', 403);
    await ok(issue(secret));
  });

  it('lists, updates and deletes bots, with their pushes', async () => {
    const watcher = await connectAgent(world.harness, world.admin);
    const { id } = (await ok(
      world.call(world.admin, 'create_bot', {
        name: 'Listed',
        owner_client_id: world.harness.widget.id,
      }),
    )) as { id: string };
    const all = (await ok(world.call(world.admin, 'list_bots', { all: true }))) as unknown as {
      id: string;
    }[];
    expect(all.map((bot) => bot.id)).toContain(id);
    // A personal access token has no client: its "own" bots are those no client owns.
    expect(await ok(world.call(world.admin, 'list_bots', { all: false }))).toEqual([]);

    await ok(
      world.call(world.admin, 'update_bot', {
        id,
        name: 'Renamed',
        avatar: 'https://x.test/a.png',
      }),
    );
    const updated = await pushOf(watcher, 'bot_updated', { id });
    expect(updated.payload).toEqual({ id, name: 'Renamed', avatar_path: 'https://x.test/a.png' });
    // The stored change names the bot's owner beside the payload (for chat_presence.my_bots).
    const stored = await storedChanges(world.harness, world.harness.organization.id);
    expect(stored.find((change) => change.action === 'bot_updated')).toMatchObject({
      payload: updated.payload,
      botOwnerClientId: world.harness.widget.id,
    });
    await ok(world.call(world.admin, 'delete_bot', { id }));
    await pushOf(watcher, 'bot_deleted', { id });
    await fails(world.call(world.admin, 'get_bot', { id }), 'not_found', 404);
    await fails(world.call(world.admin, 'update_bot', { id, name: 'Gone' }), 'not_found', 404);
  });

  it('runs bot batches and keeps bots within their organization', async () => {
    const foreignClient = await createClient(world.harness.db, {
      organizationId: (await createOrganization(world.harness.db, { name: 'Third' })).id,
      name: 'Foreign',
    });
    const body = await ok(
      world.call(world.admin, 'batch_create_bots', {
        requests: [
          { name: 'One', owner_client_id: world.harness.widget.id },
          { name: 'Two', owner_client_id: foreignClient.id },
        ],
      }),
    );
    expect(body.responses).toMatchObject([
      { id: expect.any(String) },
      { error: { type: 'authorization' } },
    ]);
    const [first] = body.responses as { id: string }[];
    await fails(world.call(world.stranger, 'get_bot', { id: first?.id }), 'not_found', 404);
    await fails(
      world.call(world.stranger, 'issue_bot_token', {
        bot_id: first?.id,
        client_id: world.harness.widget.id,
        bot_secret: 'x',
        organization_id: world.harness.organization.id,
      }),
      'authorization',
      403,
    );
  });
});
