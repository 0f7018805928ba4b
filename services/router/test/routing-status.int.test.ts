import { decodePush } from '@threadline/bus';
import { type Command, ConfigurationChange, type Push, RouterService } from '@threadline/contracts';
import { checkHealth, createGrpcClient, listServices } from '@threadline/grpc';
import { ProtocolError } from '@threadline/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aCommand, anAgentRequester } from './factories.ts';
import { eventually, type Routers, startRouters } from './harness.ts';

let sut: Routers;

beforeAll(async () => {
  sut = await startRouters({ replicas: 2 });
});

afterAll(async () => {
  await sut.stop();
});

async function rejection(promise: Promise<unknown>): Promise<ProtocolError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof ProtocolError))
    throw new Error(`expected a ProtocolError, got ${String(error)}`);
  return error;
}

describe('set_routing_status', () => {
  it('answers {} and pushes routing_status_set to the agent, with request_id for the origin connection', async () => {
    const agent = anAgentRequester({
      userId: 'push@x.io',
      connectionId: 'conn-7',
      requestId: 'req-7',
    });
    const pushes: Push[] = [];
    const subscription = sut.bus.connection.subscribe(
      sut.subjects.userPushes('org1', 'push@x.io'),
      {
        callback: (_error, message) => {
          pushes.push(decodePush(message.data));
        },
      },
    );
    await sut.bus.connection.flush();

    const reply = await sut.execute(
      aCommand('set_routing_status', agent, { status: 'accepting_chats' }),
    );
    expect(reply).toEqual({});
    await eventually(() => expect(pushes).toHaveLength(1));
    expect(pushes[0]).toMatchObject({
      organizationId: 'org1',
      action: 'routing_status_set',
      originConnectionId: 'conn-7',
      requestId: 'req-7',
    });
    expect(JSON.parse(pushes[0]!.payloadJson)).toEqual({
      agent_id: 'push@x.io',
      status: 'accepting_chats',
    });
    subscription.unsubscribe();
  });

  it("lets an administrator set another agent's status, pushing to that agent", async () => {
    const pushes: Push[] = [];
    const subscription = sut.bus.connection.subscribe(
      sut.subjects.userPushes('org1', 'managed@x.io'),
      {
        callback: (_error, message) => {
          pushes.push(decodePush(message.data));
        },
      },
    );
    await sut.bus.connection.flush();
    const admin = anAgentRequester({ userId: 'boss@x.io', role: 'administrator' });
    await sut.execute(
      aCommand('set_routing_status', admin, {
        status: 'not_accepting_chats',
        agent_id: 'managed@x.io',
      }),
    );
    await eventually(() => expect(pushes).toHaveLength(1));
    expect(pushes[0]).toMatchObject({ originConnectionId: '', requestId: '' });
    expect(JSON.parse(pushes[0]!.payloadJson)).toEqual({
      agent_id: 'managed@x.io',
      status: 'not_accepting_chats',
    });
    subscription.unsubscribe();
  });

  it('refuses what the protocol refuses, with its error types', async () => {
    const agent = anAgentRequester({ userId: 'normal@x.io' });
    const other = aCommand('set_routing_status', agent, {
      status: 'accepting_chats',
      agent_id: 'else@x.io',
    });
    expect((await rejection(sut.execute(other))).type).toBe('authorization');
    const offline = aCommand('set_routing_status', agent, { status: 'offline' });
    expect((await rejection(sut.execute(offline))).type).toBe('validation');
    const unknownStatus = aCommand('set_routing_status', agent, { status: 'busy' });
    expect((await rejection(sut.execute(unknownStatus))).type).toBe('validation');
    const notJson = { ...aCommand('set_routing_status', agent), payloadJson: '{oops' } as Command;
    expect((await rejection(sut.execute(notJson))).type).toBe('validation');
    const customer = anAgentRequester({ userId: 'cust', userType: 'customer' });
    expect(
      (
        await rejection(
          sut.execute(aCommand('set_routing_status', customer, { status: 'accepting_chats' })),
        )
      ).type,
    ).toBe('authorization');
    const unknownAction = aCommand('do_magic', agent);
    expect((await rejection(sut.execute(unknownAction))).type).toBe('not_found');
  });
});

describe('routing_status_set for webhooks', () => {
  it('records every change on the configuration stream, by its requester or the system', async () => {
    const changes: ConfigurationChange[] = [];
    const subscription = sut.bus.connection.subscribe(sut.subjects.configurationChanges('orgW'), {
      callback: (_error, message) => {
        changes.push(ConfigurationChange.decode(message.data));
      },
    });
    await sut.bus.connection.flush();
    const agent = anAgentRequester({ organizationId: 'orgW', userId: 'hook@x.io' });
    await sut.execute(aCommand('set_routing_status', agent, { status: 'accepting_chats' }));
    await sut.execute(aCommand('agent_disconnected', agent));

    await eventually(() => expect(changes).toHaveLength(2));
    const [set, offline] = changes;
    expect(set).toMatchObject({
      organizationId: 'orgW',
      action: 'routing_status_set',
      requester: { userId: 'hook@x.io', userType: 'agent' },
    });
    expect(JSON.parse(set!.payloadJson)).toEqual({
      agent_id: 'hook@x.io',
      status: 'accepting_chats',
    });
    // Going offline when the last session ends is the router's doing.
    expect(offline).toMatchObject({ requester: { userType: 'system' } });
    expect(JSON.parse(offline!.payloadJson)).toEqual({ agent_id: 'hook@x.io', status: 'offline' });
    expect(new Set(changes.map((change) => change.changeId)).size).toBe(2);
    subscription.unsubscribe();
  });
});

describe('list_routing_statuses', () => {
  it("lists only the requester's organization, filtered by groups", async () => {
    const inOrgA = (userId: string, groupIds: number[]) =>
      anAgentRequester({ organizationId: 'orgA', userId, groupIds });
    await sut.execute(
      aCommand('set_routing_status', inOrgA('a1@x.io', [0, 1]), { status: 'accepting_chats' }),
    );
    await sut.execute(
      aCommand('set_routing_status', inOrgA('a2@x.io', [0, 2]), { status: 'not_accepting_chats' }),
    );
    const outsider = anAgentRequester({ organizationId: 'orgB', userId: 'b1@x.io' });
    await sut.execute(aCommand('set_routing_status', outsider, { status: 'accepting_chats' }));

    const all = await sut.execute(aCommand('list_routing_statuses', inOrgA('a1@x.io', [0, 1])));
    expect(all).toEqual([
      { agent_id: 'a1@x.io', status: 'accepting_chats' },
      { agent_id: 'a2@x.io', status: 'not_accepting_chats' },
    ]);
    const group2 = await sut.execute(
      aCommand('list_routing_statuses', inOrgA('a1@x.io', [0, 1]), { filters: { group_ids: [2] } }),
    );
    expect(group2).toEqual([{ agent_id: 'a2@x.io', status: 'not_accepting_chats' }]);
    const orgB = await sut.execute(aCommand('list_routing_statuses', outsider));
    expect(orgB).toEqual([{ agent_id: 'b1@x.io', status: 'accepting_chats' }]);
  });
});

describe('agent_disconnected', () => {
  it('makes the agent offline', async () => {
    const agent = anAgentRequester({ organizationId: 'orgD', userId: 'gone@x.io' });
    await sut.execute(aCommand('set_routing_status', agent, { status: 'accepting_chats' }));
    await sut.execute(aCommand('agent_disconnected', agent));
    expect(await sut.execute(aCommand('list_routing_statuses', agent))).toEqual([
      { agent_id: 'gone@x.io', status: 'offline' },
    ]);
  });
});

describe('the router over gRPC', () => {
  it('answers the same commands as over NATS, errors as gRPC statuses', async () => {
    const client = createGrpcClient(RouterService, `127.0.0.1:${sut.routers[0]!.grpcPort}`, {
      deadlineMs: 10_000,
    });
    const agent = anAgentRequester({ organizationId: 'orgG', userId: 'grpc@x.io' });
    expect(
      await client.execute(aCommand('set_routing_status', agent, { status: 'accepting_chats' })),
    ).toMatchObject({ success: true, payloadJson: '{}' });
    const listed = await client.execute(aCommand('list_routing_statuses', agent));
    expect(JSON.parse(listed.payloadJson)).toEqual([
      { agent_id: 'grpc@x.io', status: 'accepting_chats' },
    ]);
    const refused = await rejection(
      client.execute(aCommand('set_routing_status', agent, { status: 'offline' })),
    );
    expect(refused).toMatchObject({ type: 'validation', cause: { code: 3 } }); // INVALID_ARGUMENT
    client.close();
  });

  it('answers gRPC health checks and lists its services over reflection', async () => {
    const address = `127.0.0.1:${sut.routers[1]!.grpcPort}`;
    expect(await checkHealth(address)).toBe('SERVING');
    expect(await checkHealth(address, 'threadline.v1.Router')).toBe('SERVING');
    expect(await listServices(address)).toEqual(
      expect.arrayContaining(['threadline.v1.Router', 'grpc.health.v1.Health']),
    );
  });
});

describe('health', () => {
  it('reports ready and serves the router metrics', async () => {
    const base = `http://127.0.0.1:${sut.routers[1]!.healthPort}`;
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    // Each real path checked and named: a misconfigured deployment says which one fails.
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: {
        'not stopping': 'ok',
        'nats round trip': 'ok',
        'postgres query': 'ok',
        'consumer router running': 'ok',
        'consumer router-configuration running': 'ok',
      },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('router_waiting_chats');
    expect(metrics).toContain('router_commands_total');
    // Its durable consumers' lag, as the server reports it.
    expect(metrics).toMatch(
      /threadline_consumer_pending_messages\{[^}]*consumer="router"[^}]*\} \d+/,
    );
    expect(metrics).toMatch(
      /threadline_consumer_ack_pending_messages\{[^}]*consumer="router-configuration"/,
    );
  });
});
