import { randomUUID } from 'node:crypto';
import { ConfigurationChange, Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aMessageBatch,
  type Cluster,
  configure,
  newOrganizationId,
  publishBatch,
  registerEnabled,
  startCluster,
  startReceiver,
  waitFor,
  waitForConsumerIdle,
} from '../test/harness.ts';
import { webhookConfigurationConsumerName } from './adapters/nats/configuration-consumer.ts';

let cluster: Cluster;

beforeAll(async () => {
  // A fresh namespace: the configuration stream exists only because the service ensured it.
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

function aChange(organizationId: string, overrides: Partial<ConfigurationChange> = {}) {
  return ConfigurationChange.fromPartial({
    changeId: randomUUID(),
    organizationId,
    action: 'agent_created',
    payloadJson: JSON.stringify({ id: 'new@example.com', name: 'New Agent', role: 'normal' }),
    requester: { organizationId, userId: 'owner@example.com', userType: 'agent', role: 'owner' },
    requesterClientId: 'client-1',
    requesterAccountId: 'account-1',
    occurredAt: new Date().toISOString(),
    ...overrides,
  });
}

async function publishChange(change: ConfigurationChange, msgID = change.changeId) {
  await cluster.bus.jetstream.publish(
    cluster.subjects.configurationChanges(change.organizationId),
    ConfigurationChange.encode(change).finish(),
    { msgID },
  );
}

async function waitForIdle(): Promise<void> {
  await waitFor(async () => {
    const info = await cluster.bus.manager.consumers.info(
      cluster.subjects.configurationStream,
      webhookConfigurationConsumerName,
    );
    return info.num_pending === 0 && info.num_ack_pending === 0;
  }, 'the configuration consumer to catch up');
}

function deliveriesOf(registrationId: string) {
  return cluster.db
    .selectFrom('deliveries')
    .selectAll()
    .where('registration_id', '=', registrationId)
    .execute();
}

describe('configuration webhooks', () => {
  it('delivers each configuration action with its envelope, payload and requester', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const actions = [
      'agent_created',
      'agent_approved',
      'agent_updated',
      'agent_suspended',
      'agent_unsuspended',
      'agent_deleted',
      'auto_accesses_updated',
      'bot_created',
      'bot_updated',
      'bot_deleted',
      'group_created',
      'group_updated',
      'group_deleted',
      'tag_created',
      'tag_deleted',
      'tag_updated',
    ];
    const ids = new Map<string, string>();
    for (const action of actions) {
      ids.set(
        action,
        await registerEnabled(cluster, organizationId, { url: receiver.url, action }),
      );
    }
    for (const action of actions) {
      await publishChange(
        aChange(organizationId, { action, payloadJson: JSON.stringify({ id: `${action}-1` }) }),
      );
    }

    await waitFor(() => receiver.received.length === actions.length, 'every webhook');
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(bodies.map((b) => b.action).sort()).toEqual([...actions].sort());
    const agentCreated = bodies.find((b) => b.action === 'agent_created');
    expect(agentCreated).toEqual({
      webhook_id: ids.get('agent_created'),
      secret_key: 'top-secret',
      action: 'agent_created',
      organization_id: organizationId,
      payload: { id: 'agent_created-1' },
      additional_data: {},
      requester: { user_id: 'owner@example.com', account_id: 'account-1', client_id: 'client-1' },
    });
    for (const body of bodies) expect(body.payload).toEqual({ id: `${body.action}-1` });
    await receiver.close();
  });

  it('never sends another organization’s changes', async () => {
    const receiver = await startReceiver();
    const mine = newOrganizationId();
    const theirs = newOrganizationId();
    const id = await registerEnabled(cluster, mine, { url: receiver.url, action: 'tag_created' });
    await publishChange(aChange(theirs, { action: 'tag_created' }));
    await publishChange(aChange(mine, { action: 'tag_created' }));

    await waitFor(() => receiver.received.length === 1, 'my webhook');
    await waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({ organization_id: mine });
    expect(await deliveriesOf(id)).toHaveLength(1);
    await receiver.close();
  });

  it('absorbs a change delivered again', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      action: 'group_deleted',
    });
    const change = aChange(organizationId, { action: 'group_deleted' });
    await publishChange(change);
    // The same change again under another message id, as after the duplicate window.
    await publishChange(change, randomUUID());

    await waitFor(() => receiver.received.length === 1, 'the webhook');
    await waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    expect(await deliveriesOf(id)).toHaveLength(1);
    await receiver.close();
  });

  it('does not deliver license webhooks while they are disabled, and honours source_type', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const disabled = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      action: 'bot_created',
      clientId: 'client-off',
    });
    await configure(cluster, organizationId, 'disable_license_webhooks', {
      owner_client_id: 'client-off',
    });
    const others = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      action: 'bot_created',
      clientId: 'client-2',
      filters: { source_type: ['other_clients'] },
    });
    const mineOnly = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      action: 'bot_created',
      clientId: 'client-3',
      filters: { source_type: ['my_client'] },
    });
    await publishChange(aChange(organizationId, { action: 'bot_created' }));

    await waitFor(() => receiver.received.length === 1, 'the other_clients webhook');
    await waitForIdle();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received.map((r) => JSON.parse(r.body).webhook_id)).toEqual([others]);
    expect(await deliveriesOf(disabled)).toHaveLength(0);
    expect(await deliveriesOf(mineOnly)).toHaveLength(0);
    await receiver.close();
  });

  it("sends a 3.4 registration one auto_access_added per added rule, and 3.4's work_scheduler", async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const register = (action: string, apiVersion: string) =>
      registerEnabled(cluster, organizationId, { url: receiver.url, action, apiVersion });
    const added = await register('auto_access_added', '3.4');
    const updated = await register('auto_access_updated', '3.4');
    const gathered = await register('auto_accesses_updated', '3.5');
    const agentCreated = await register('agent_created', '3.4');
    // What the gateway stores for an add_auto_access that moved another rule (LiveChat 3.5's
    // `auto_accesses_updated` payload: an array), and for a batch that added two rules.
    const moved = [
      { id: 'rule-1', next_id: 'rule-2', status: 'updated' },
      { id: 'rule-2', description: 'Shop', access: { groups: [1] }, next_id: '', status: 'added' },
    ];
    const twoAdded = [
      { id: 'rule-3', access: { groups: [0] }, next_id: 'rule-4', status: 'added' },
      { id: 'rule-4', access: { groups: [2] }, next_id: '', status: 'added' },
    ];
    for (const rules of [moved, twoAdded]) {
      await publishChange(
        aChange(organizationId, {
          action: 'auto_accesses_updated',
          payloadJson: JSON.stringify(rules),
        }),
      );
    }
    const schedule = [
      { day: 'monday', enabled: true, start: '08:00', end: '16:00' },
      { day: 'friday', enabled: false, start: '08:00', end: '12:00' },
    ];
    await publishChange(
      aChange(organizationId, {
        payloadJson: JSON.stringify({ id: 'new@example.com', work_scheduler: { schedule } }),
      }),
    );

    await waitFor(() => receiver.received.length === 7, 'every webhook');
    await waitForIdle();
    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const of = (id: string) => bodies.filter((body) => body.webhook_id === id);
    expect(of(added).map((body) => [body.action, body.payload])).toEqual(
      expect.arrayContaining([
        [
          'auto_access_added',
          { id: 'rule-2', description: 'Shop', access: { groups: [1] }, next_id: '' },
        ],
        ['auto_access_added', { id: 'rule-3', access: { groups: [0] }, next_id: 'rule-4' }],
        ['auto_access_added', { id: 'rule-4', access: { groups: [2] }, next_id: '' }],
      ]),
    );
    expect(of(added)).toHaveLength(3);
    expect(of(updated).map((body) => [body.action, body.payload])).toEqual([
      ['auto_access_updated', { id: 'rule-1', next_id: 'rule-2' }],
    ]);
    expect(of(gathered).map((body) => body.payload)).toEqual(
      expect.arrayContaining([moved, twoAdded]),
    );
    expect(of(gathered)).toHaveLength(2);
    expect(of(agentCreated).map((body) => body.payload)).toEqual([
      { id: 'new@example.com', work_scheduler: { monday: { start: '08:00', end: '16:00' } } },
    ]);
    // Each webhook is its own delivery, with an id of its own.
    expect(await deliveriesOf(added)).toHaveLength(3);
    await receiver.close();
  });

  it('registers and lists 3.4 webhooks under 3.4 names only', async () => {
    const organizationId = newOrganizationId();
    for (const action of ['auto_accesses_updated', 'tag_created']) {
      await expect(
        registerEnabled(cluster, organizationId, {
          url: 'http://127.0.0.1:9/x',
          action,
          apiVersion: '3.4',
        }),
      ).rejects.toMatchObject({ type: 'validation' });
    }
    await expect(
      registerEnabled(cluster, organizationId, {
        url: 'http://127.0.0.1:9/x',
        action: 'auto_access_added',
        apiVersion: '3.5',
      }),
    ).rejects.toMatchObject({ type: 'validation' });
    const names = (
      (await configure(cluster, organizationId, 'list_webhook_names', {}, '3.4')) as {
        action: string;
      }[]
    ).map((name) => name.action);
    expect(names).toEqual(
      expect.arrayContaining(['auto_access_added', 'auto_access_updated', 'auto_access_deleted']),
    );
    for (const absent of ['auto_accesses_updated', 'tag_created', 'event_deleted']) {
      expect(names).not.toContain(absent);
    }
  });

  it('delivers customer_session_fields_updated recorded by the gateway', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      action: 'customer_session_fields_updated',
    });
    const payload = {
      id: 'customer-1',
      active_chat: { chat_id: 'PJ0MRSHTDG', thread_id: 'K600PKZON8' },
      session_fields: [{ plan: 'gold' }],
    };
    await publishChange(
      aChange(organizationId, {
        action: 'customer_session_fields_updated',
        payloadJson: JSON.stringify(payload),
        requester: Requester.fromPartial({
          organizationId,
          userId: 'customer-1',
          userType: 'customer',
        }),
        requesterClientId: '',
        requesterAccountId: '',
      }),
    );

    await waitFor(() => receiver.received.length === 1, 'the webhook');
    expect(JSON.parse(receiver.received[0]!.body)).toEqual({
      webhook_id: id,
      secret_key: 'top-secret',
      action: 'customer_session_fields_updated',
      organization_id: organizationId,
      payload,
      additional_data: {},
      requester: { user_id: 'customer-1', account_id: '', client_id: '' },
    });
    await receiver.close();
  });
});

describe('chat_presence.my_bots', () => {
  it("fires only for chats with a bot of the owner's client present, as bot changes told", async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const bot = (action: string, id: string, owner = '') =>
      publishChange(
        aChange(organizationId, {
          action,
          payloadJson: JSON.stringify({ id, name: id, owner_client_id: owner }),
        }),
      );
    await bot('bot_created', 'mine', 'client-1');
    await bot('bot_created', 'theirs', 'another-app');
    await bot('bot_created', 'gone', 'client-1');
    await bot('bot_deleted', 'gone');
    // Its creation again, as a replay of the stream would bring it: the deletion still holds.
    await bot('bot_created', 'gone', 'client-1');
    // A bot created before the service kept owners is learnt from an update naming its owner.
    await publishChange(
      aChange(organizationId, {
        action: 'bot_updated',
        payloadJson: JSON.stringify({ id: 'older', name: 'Older' }),
        botOwnerClientId: 'client-1',
      }),
    );
    await waitForIdle();
    const id = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      filters: { chat_presence: { my_bots: true } },
    });

    const present = {
      MINE: 'mine',
      OLDER: 'older',
      THEIRS: 'theirs',
      GONE: 'gone',
      NOBOT: 'agent@example.com',
    };
    for (const [chatId, userId] of Object.entries(present)) {
      const batch = aMessageBatch(organizationId, chatId);
      batch.notifications[0]!.recipientUserIds = ['customer-1', userId];
      await publishBatch(cluster, batch);
    }

    await waitFor(() => receiver.received.length >= 2, 'the webhooks');
    await waitForConsumerIdle(cluster);
    const chats = receiver.received.map((webhook) => JSON.parse(webhook.body));
    expect(chats.map((body) => [body.webhook_id, body.payload.chat_id]).sort()).toEqual([
      [id, 'MINE'],
      [id, 'OLDER'],
    ]);
    expect(await deliveriesOf(id)).toHaveLength(2);
    await receiver.close();
  });
});
