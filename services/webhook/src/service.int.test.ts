import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebhooksService } from '@threadline/contracts';
import { checkHealth, createGrpcClient, listServices } from '@threadline/grpc';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  aCommand,
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

let cluster: Cluster;

beforeAll(async () => {
  cluster = await startCluster();
});

afterAll(async () => {
  await cluster?.stop();
});

function deliveriesOf(registrationId: string) {
  return cluster.db
    .selectFrom('deliveries')
    .selectAll()
    .where('registration_id', '=', registrationId)
    .execute();
}

async function expectProtocolError(
  promise: Promise<unknown>,
  type: string,
  message = '',
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  expect((error as ProtocolError).type).toBe(type);
  expect((error as ProtocolError).message).toContain(message);
}

type Verify = (
  rawBody: Buffer | string,
  headers: IncomingHttpHeaders,
  secretKey: string,
  nowMs?: number,
) => boolean;

/** The README's verification snippet, exactly as documented, loaded as a module. */
async function loadDocumentedSnippet(): Promise<Verify> {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8');
  const block =
    /<!-- signature-snippet:begin -->\n```js\n([\s\S]*?)```\n<!-- signature-snippet:end -->/.exec(
      readme,
    );
  if (!block) throw new Error('README.md has no signature snippet between its markers');
  const directory = mkdtempSync(join(tmpdir(), 'threadline-snippet-'));
  try {
    const file = join(directory, 'verify-threadline-webhook.mjs');
    writeFileSync(file, block[1]!);
    const snippet = (await import(pathToFileURL(file).href)) as { verifyThreadlineWebhook: Verify };
    return snippet.verifyThreadlineWebhook;
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

describe('webhook delivery', () => {
  it('POSTs the incoming_event envelope, signed, to a registered and enabled webhook', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      secretKey: 'laudla991lamda0pnoaa0',
      additional_data: ['chat_presence_user_ids'],
    });
    const batch = aMessageBatch(organizationId);
    const published = Date.now();
    await publishBatch(cluster, batch);

    await waitFor(() => receiver.received.length === 1, 'the webhook');
    const [webhook] = receiver.received;
    expect(webhook!.receivedAt - published).toBeLessThan(1_000);
    expect(webhook!.headers['content-type']).toBe('application/json');
    const timestamp = webhook!.headers['x-threadline-timestamp'] as string;
    expect(Math.abs(Number(timestamp) - published / 1000)).toBeLessThan(2);
    const expected = createHmac('sha256', 'laudla991lamda0pnoaa0')
      .update(`${timestamp}.${webhook!.body}`)
      .digest('hex');
    expect(webhook!.headers['x-threadline-signature']).toBe(`v1=${expected}`);
    expect(webhook!.headers['x-threadline-webhook-id']).toMatch(/^[0-9a-f]{32}$/);
    expect(webhook!.headers['x-threadline-delivery-attempt']).toBe('1');
    expect(JSON.parse(webhook!.body)).toEqual({
      webhook_id: id,
      secret_key: 'laudla991lamda0pnoaa0',
      action: 'incoming_event',
      organization_id: organizationId,
      payload: JSON.parse(batch.notifications[0]!.payloadJson),
      additional_data: { chat_presence_user_ids: ['customer-1', 'agent@example.com'] },
    });
    await waitFor(
      async () => (await deliveriesOf(id))[0]?.status === 'delivered',
      'the delivery to be recorded',
    );
    await receiver.close();
  });

  it("passes the README's verification snippet on every attempt, and fails it altered, re-keyed or stale", async () => {
    const verify = await loadDocumentedSnippet();
    const secretKey = 'laudla991lamda0pnoaa0';
    // The first attempt fails, so a retry (signed again) is checked too.
    const receiver = await startReceiver((index) => (index === 0 ? 500 : 200));
    const organizationId = newOrganizationId();
    await registerEnabled(cluster, organizationId, { url: receiver.url, secretKey });
    await publishBatch(cluster, aMessageBatch(organizationId));
    await waitFor(() => receiver.received.length === 2, 'the delivery and its retry');

    for (const { headers, body, receivedAt } of receiver.received) {
      const rawBody = Buffer.from(body, 'utf8');
      expect(verify(rawBody, headers, secretKey, receivedAt)).toBe(true);
      expect(verify(rawBody, headers, secretKey)).toBe(true);

      const altered = Buffer.from(body.replace('Hello', 'Hullo'), 'utf8');
      expect(altered.equals(rawBody)).toBe(false);
      expect(verify(altered, headers, secretKey, receivedAt)).toBe(false);
      expect(verify(rawBody, headers, 'another-secret', receivedAt)).toBe(false);
      expect(verify(rawBody, headers, secretKey, receivedAt + 301_000)).toBe(false);
      expect(verify(rawBody, headers, secretKey, receivedAt - 301_000)).toBe(false);
      const timestamp = Number(headers['x-threadline-timestamp']);
      const replayed = { ...headers, 'x-threadline-timestamp': String(timestamp + 60) };
      expect(verify(rawBody, replayed, secretKey, receivedAt)).toBe(false);
      const { 'x-threadline-signature': _, ...unsigned } = headers;
      expect(verify(rawBody, unsigned, secretKey, receivedAt)).toBe(false);
    }
    await receiver.close();
  });

  it('retries a receiver that answers 500 twice, with the same id and body, until it takes it', async () => {
    const receiver = await startReceiver((index) => (index < 2 ? 500 : 200));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: receiver.url });
    await publishBatch(cluster, aMessageBatch(organizationId));

    await waitFor(() => receiver.received.length === 3, 'three attempts');
    const ids = new Set(receiver.received.map((r) => r.headers['x-threadline-webhook-id']));
    const bodies = new Set(receiver.received.map((r) => r.body));
    expect(ids.size).toBe(1);
    expect(bodies.size).toBe(1);
    expect(receiver.received.map((r) => r.headers['x-threadline-delivery-attempt'])).toEqual([
      '1',
      '2',
      '3',
    ]);
    await waitFor(async () => (await deliveriesOf(id))[0]?.status === 'delivered', 'delivered');
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ attempts: 3, status: 'delivered', last_error: null });
    // Backoff between attempts (base 50 ms, so at least 25 ms with jitter), never a busy loop.
    const gaps = receiver.received
      .slice(1)
      .map((r, i) => r.receivedAt - receiver.received[i]!.receivedAt);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(20);
    await receiver.close();
  });

  it('retries after a timeout', async () => {
    const receiver = await startReceiver((index) => (index === 0 ? 'hang' : 204));
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: receiver.url });
    await publishBatch(cluster, aMessageBatch(organizationId));

    await waitFor(async () => (await deliveriesOf(id))[0]?.status === 'delivered', 'delivered');
    expect(receiver.received).toHaveLength(2);
    await receiver.close();
  });

  it('gives up after the last attempt and keeps the delivery as dead', async () => {
    const receiver = await startReceiver(() => 503);
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: receiver.url });
    await publishBatch(cluster, aMessageBatch(organizationId));

    await waitFor(async () => (await deliveriesOf(id))[0]?.status === 'dead', 'dead');
    const [delivery] = await deliveriesOf(id);
    expect(delivery).toMatchObject({ attempts: 4, last_error: 'HTTP 503' });
    expect(receiver.received).toHaveLength(4);
    await receiver.close();
  });

  it('never sends another organization’s events', async () => {
    const receiver = await startReceiver();
    const mine = newOrganizationId();
    const theirs = newOrganizationId();
    await registerEnabled(cluster, mine, { url: receiver.url });
    await publishBatch(cluster, aMessageBatch(theirs));
    await publishBatch(cluster, aMessageBatch(mine));

    await waitFor(() => receiver.received.length === 1, 'my webhook');
    await waitForConsumerIdle(cluster);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(1);
    expect(JSON.parse(receiver.received[0]!.body).organization_id).toBe(mine);
    await receiver.close();
  });

  it("filters source_type by the client of the batch's requester", async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const mine = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      filters: { source_type: ['my_client'] },
    });
    const others = await registerEnabled(cluster, organizationId, {
      url: receiver.url,
      filters: { source_type: ['other_clients'] },
    });
    // Each chat's batch comes from a requester with that client.
    const from = { OWNER: 'client-1', ANOTHER: 'another-app', PAT: '' };
    for (const [chatId, clientId] of Object.entries(from)) {
      const batch = aMessageBatch(organizationId, chatId);
      await publishBatch(cluster, { ...batch, requester: { ...batch.requester!, clientId } });
    }

    // The owner's client is my_client, another one other_clients, none (a PAT) both.
    await waitFor(() => receiver.received.length === 4, 'four webhooks');
    await waitForConsumerIdle(cluster);
    const chatsOf = (id: string) =>
      receiver.received
        .map((webhook) => JSON.parse(webhook.body))
        .filter((body) => body.webhook_id === id)
        .map((body) => body.payload.chat_id as string)
        .sort();
    expect(chatsOf(mine)).toEqual(['OWNER', 'PAT']);
    expect(chatsOf(others)).toEqual(['ANOTHER', 'PAT']);
    await receiver.close();
  });

  it('does not deliver license webhooks while they are disabled', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    const id = await registerEnabled(cluster, organizationId, { url: receiver.url });
    await configure(cluster, organizationId, 'disable_license_webhooks', {
      owner_client_id: 'client-1',
    });
    await publishBatch(cluster, aMessageBatch(organizationId));
    await waitForConsumerIdle(cluster);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(0);
    expect(await deliveriesOf(id)).toHaveLength(0);

    await configure(cluster, organizationId, 'enable_license_webhooks', {
      owner_client_id: 'client-1',
    });
    await publishBatch(cluster, aMessageBatch(organizationId));
    await waitFor(() => receiver.received.length === 1, 'the webhook after enabling');
    await receiver.close();
  });

  it('shares the work between replicas without sending anything twice', async () => {
    const receiver = await startReceiver();
    const organizationId = newOrganizationId();
    await registerEnabled(cluster, organizationId, { url: receiver.url });
    await Promise.all(
      Array.from({ length: 30 }, () => publishBatch(cluster, aMessageBatch(organizationId))),
    );
    await waitFor(() => receiver.received.length >= 30, 'thirty webhooks');
    await waitForConsumerIdle(cluster);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const ids = receiver.received.map((r) => r.headers['x-threadline-webhook-id']);
    expect(new Set(ids).size).toBe(30);
    expect(ids).toHaveLength(30);
    await receiver.close();
  });
});

describe('webhook management', () => {
  it('registers at most three webhooks per action for a client', async () => {
    const organizationId = newOrganizationId();
    const register = (clientId: string, action = 'incoming_chat') =>
      configure(cluster, organizationId, 'register_webhook', {
        action,
        secret_key: 'secret',
        url: 'http://127.0.0.1:9/hook',
        owner_client_id: clientId,
        type: 'license',
      });
    // Concurrent registrations land on both replicas; the limit still holds.
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => register('client-1')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect(((result as PromiseRejectedResult).reason as ProtocolError).type).toBe(
        'limit_reached',
      );
    }
    await expect(register('client-1', 'incoming_event')).resolves.toHaveProperty('id');
    await expect(register('client-2')).resolves.toHaveProperty('id');
  });

  it('lists, unregisters and isolates webhooks per organization', async () => {
    const organizationId = newOrganizationId();
    const other = newOrganizationId();
    const { id } = (await configure(cluster, organizationId, 'register_webhook', {
      action: 'chat_deactivated',
      secret_key: 'secret',
      url: 'http://127.0.0.1:9/hook',
      owner_client_id: 'client-1',
      type: 'license',
      description: 'Test webhook',
      filters: { chat_presence: { user_ids: { values: ['johndoe@mail.com'] }, my_bots: true } },
    })) as { id: string };

    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(
      await configure(cluster, organizationId, 'list_webhooks', { owner_client_id: 'client-1' }),
    ).toEqual([
      {
        id,
        url: 'http://127.0.0.1:9/hook',
        description: 'Test webhook',
        action: 'chat_deactivated',
        filters: { chat_presence: { user_ids: { values: ['johndoe@mail.com'] }, my_bots: true } },
        owner_client_id: 'client-1',
        type: 'license',
      },
    ]);
    expect(
      await configure(cluster, other, 'list_webhooks', { owner_client_id: 'client-1' }),
    ).toEqual([]);
    await expectProtocolError(
      configure(cluster, other, 'unregister_webhook', { id, owner_client_id: 'client-1' }),
      'not_found',
    );
    await expect(
      configure(cluster, organizationId, 'unregister_webhook', { id, owner_client_id: 'client-1' }),
    ).resolves.toEqual({});
    expect(
      await configure(cluster, organizationId, 'list_webhooks', { owner_client_id: 'client-1' }),
    ).toEqual([]);
  });

  it('answers bad requests with validation errors', async () => {
    const organizationId = newOrganizationId();
    const valid = {
      action: 'incoming_event',
      secret_key: 'secret',
      url: 'http://127.0.0.1:9/hook',
      owner_client_id: 'client-1',
      type: 'license',
    };
    await expectProtocolError(
      configure(cluster, organizationId, 'register_webhook', { ...valid, action: 'nope' }),
      'validation',
    );
    await expectProtocolError(
      configure(cluster, organizationId, 'register_webhook', { ...valid, url: 'not a url' }),
      'validation',
    );
    await expectProtocolError(
      configure(cluster, organizationId, 'register_webhook', {
        ...valid,
        action: 'incoming_chat',
        filters: { author_type: 'agent' },
      }),
      'validation',
    );
    await expectProtocolError(
      configure(cluster, organizationId, 'get_license_webhooks_state', {}),
      'validation',
    );
    await expectProtocolError(configure(cluster, organizationId, 'send_event', {}), 'not_found');
    const garbage = aCommand(organizationId, 'list_webhooks', {});
    garbage.payloadJson = '{not json';
    await expectProtocolError(
      import('@threadline/bus').then(({ callService }) =>
        callService(cluster.bus.connection, cluster.subjects.webhookExecute, garbage),
      ),
      'validation',
    );
  });

  it.each([
    ['http://10.0.0.5:8080/hook', '10.0.0.5 is private'],
    ['http://169.254.169.254/latest/meta-data', '169.254.169.254 is link-local'],
    ['http://100.64.1.1/hook', '100.64.1.1 is shared address space (CGNAT)'],
    ['http://[::ffff:192.168.1.1]/hook', '::ffff:c0a8:101 is private'],
    ['http://[fd00::1]/hook', 'fd00::1 is unique-local'],
    ['http://0.0.0.0:8080/hook', '0.0.0.0 is unspecified'],
    ['https://hooks.invalid/hook', 'hooks.invalid does not resolve'],
  ])('refuses to register %s: not public and not allowed', async (url, reason) => {
    await expectProtocolError(
      configure(cluster, newOrganizationId(), 'register_webhook', {
        action: 'incoming_event',
        secret_key: 'secret',
        url,
        owner_client_id: 'client-1',
        type: 'license',
      }),
      'validation',
      `Webhook url is not allowed: ${reason}`,
    );
  });

  it('keeps license webhook state per organization and client', async () => {
    const organizationId = newOrganizationId();
    const state = (org: string, owner: string) =>
      configure(cluster, org, 'get_license_webhooks_state', { owner_client_id: owner });
    expect(await state(organizationId, 'client-1')).toEqual({ license_webhooks_enabled: false });
    await configure(cluster, organizationId, 'enable_license_webhooks', {
      owner_client_id: 'client-1',
    });
    expect(await state(organizationId, 'client-1')).toEqual({ license_webhooks_enabled: true });
    expect(await state(organizationId, 'client-2')).toEqual({ license_webhooks_enabled: false });
    expect(await state(newOrganizationId(), 'client-1')).toEqual({
      license_webhooks_enabled: false,
    });
    await configure(cluster, organizationId, 'disable_license_webhooks', {
      owner_client_id: 'client-1',
    });
    expect(await state(organizationId, 'client-1')).toEqual({ license_webhooks_enabled: false });
  });

  it('lists webhook names per API version', async () => {
    const names = (await configure(cluster, newOrganizationId(), 'list_webhook_names', {})) as {
      action: string;
      filters: string[];
      additional_data?: string[];
    }[];
    expect(names).toHaveLength(38);
    expect(names.find((n) => n.action === 'incoming_event')).toEqual({
      action: 'incoming_event',
      filters: ['chat_presence', 'author_type', 'only_my_chats', 'source_type'],
      additional_data: ['chat_properties', 'chat_presence_user_ids'],
    });
    expect(names.find((n) => n.action === 'agent_deleted')).toEqual({
      action: 'agent_deleted',
      filters: ['source_type'],
    });
    const legacy = (await configure(cluster, newOrganizationId(), 'list_webhook_names', {
      version: '3.5',
    })) as { action: string }[];
    expect(legacy.map((n) => n.action)).toContain('incoming_customer');
    expect(legacy.map((n) => n.action)).not.toContain('thread_summary_set');
  });

  it('serves the same methods over gRPC, errors as gRPC statuses', async () => {
    const address = `127.0.0.1:${cluster.services[1]!.grpcPort}`;
    const client = createGrpcClient(WebhooksService, address, { deadlineMs: 10_000 });
    const organizationId = newOrganizationId();
    const call = (action: string, payload: Record<string, unknown>) =>
      client.execute(aCommand(organizationId, action, payload));
    const registered = await call('register_webhook', {
      action: 'incoming_chat',
      secret_key: 'secret',
      url: 'http://127.0.0.1:9/hook',
      owner_client_id: 'client-1',
      type: 'bot',
    });
    expect(registered.success).toBe(true);
    const { id } = JSON.parse(registered.payloadJson) as { id: string };
    const missing = await call('unregister_webhook', {
      id: 'f'.repeat(32),
      owner_client_id: 'client-1',
    }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ProtocolError);
    expect(missing).toMatchObject({ type: 'not_found', cause: { code: 5 } }); // NOT_FOUND
    const listed = await call('list_webhooks', { owner_client_id: 'client-1' });
    expect(JSON.parse(listed.payloadJson)).toMatchObject([{ id, type: 'bot' }]);
    client.close();

    expect(await checkHealth(address)).toBe('SERVING');
    expect(await checkHealth(address, 'threadline.v1.Webhooks')).toBe('SERVING');
    expect(await listServices(address)).toEqual(
      expect.arrayContaining(['threadline.v1.Webhooks', 'grpc.health.v1.Health']),
    );
  });
});

describe('operations', () => {
  it('reports ready and exposes delivery metrics', async () => {
    const { healthPort } = cluster.services[0]!;
    const ready = await fetch(`http://127.0.0.1:${healthPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({
      'not stopping': 'ok',
      'nats round trip': 'ok',
      'postgres query': 'ok',
      'consumer webhook running': 'ok',
      'consumer webhook-configuration running': 'ok',
    });
    const metrics = await (await fetch(`http://127.0.0.1:${healthPort}/metrics`)).text();
    expect(metrics).toContain('threadline_webhook_outbox_backlog');
    expect(metrics).toContain('threadline_webhook_deliveries_total');
    for (const consumer of ['webhook', 'webhook-configuration'])
      expect(metrics).toMatch(
        new RegExp(
          `threadline_consumer_pending_messages\\{[^}]*consumer="${consumer}"[^}]*\\} \\d+`,
        ),
      );
  });
});
