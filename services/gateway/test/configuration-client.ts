import { type CreatedAgent, createAgent, createOrganization } from '@threadline/accounts';
import { ConfigurationChange } from '@threadline/contracts';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { agentBasic, type Harness, startHarness } from './harness.ts';
import { type Frame, TestSocket } from './rtm-client.ts';

/** What the Configuration API tests share: a gateway, who calls it, and a second organization. */
export interface ConfigurationWorld {
  harness: Harness;
  /** The harness agent (an administrator), by its personal access token. */
  admin: string;
  /** A normal agent of the same organization. */
  normal: CreatedAgent;
  norma: string;
  /** The owner of another organization. */
  stranger: string;
  call(authorization: string | undefined, action: string, payload?: unknown): Promise<Answer>;
}

/**
 * Registers the suite's hooks: one gateway for the file, sockets closed after each test. The
 * router stand-in answers `list_routing_statuses` with `statuses()`.
 */
export function useConfigurationWorld(
  statuses: () => { agent_id: string; status: string }[] = () => [],
): ConfigurationWorld {
  const world = {} as ConfigurationWorld;
  beforeAll(async () => {
    const harness = await startHarness();
    standInForServices(harness, statuses);
    const normal = await createAgent(harness.db, {
      organizationId: harness.organization.id,
      email: 'normal@harness.test',
      name: 'Norma',
    });
    const other = await createOrganization(harness.db, { name: 'Elsewhere' });
    const boss = await createAgent(harness.db, {
      organizationId: other.id,
      email: 'boss@elsewhere.test',
      name: 'Boss',
      role: 'owner',
    });
    Object.assign(world, {
      harness,
      admin: agentBasic(harness),
      normal,
      norma: `Basic ${normal.basicCredentials}`,
      stranger: `Basic ${boss.basicCredentials}`,
      call: (authorization: string | undefined, action: string, payload: unknown = {}) =>
        configure(harness, authorization, action, payload),
    });
  });
  afterEach(async () => {
    await TestSocket.closeAll();
  });
  afterAll(async () => {
    await world.harness?.close();
  });
  return world;
}

export interface Answer {
  status: number;
  body: Record<string, unknown> & { error?: { type: string; message: string } };
}

/** `POST /v3.6/configuration/action/<action>` with the given Authorization. */
export async function configure(
  harness: Harness,
  authorization: string | undefined,
  action: string,
  payload: unknown = {},
): Promise<Answer> {
  const response = await fetch(`${harness.gateway.url}/v3.6/configuration/action/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(authorization ? { authorization } : {}),
    },
    body: JSON.stringify(payload),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

/** Asserts a successful answer and returns its body. */
export async function ok(answer: Promise<Answer>): Promise<Answer['body']> {
  const { status, body } = await answer;
  expect({ status, body }).toMatchObject({ status: 200 });
  return body;
}

/** Asserts an error answer of this type (and HTTP status) and returns its message. */
export async function fails(
  answer: Promise<Answer>,
  type: string,
  status: number,
): Promise<string> {
  const result = await answer;
  expect(result).toMatchObject({ status, body: { error: { type } } });
  return result.body.error?.message ?? '';
}

/**
 * Stands in for chat-store and the router during an agent's RTM login (the login asks both), and
 * answers the router's `list_routing_statuses` with `statuses`.
 */
export function standInForServices(
  harness: Harness,
  statuses: () => { agent_id: string; status: string }[] = () => [],
): void {
  harness.respond(harness.subjects.chatStoreQuery, () => ({ chats_summary: [], found_chats: 0 }));
  harness.respond(harness.subjects.routerExecute, (command) =>
    command.action === 'list_routing_statuses' ? statuses() : {},
  );
}

/** An agent logged in over RTM: it hears the organization's configuration pushes. */
export async function connectAgent(harness: Harness, authorization: string): Promise<TestSocket> {
  const socket = await TestSocket.open(harness.gateway.url, '/v3.6/agent/rtm/ws');
  const login = await socket.request('login', { token: authorization });
  expect(login).toMatchObject({ success: true });
  return socket;
}

/** The first push of `action` whose payload matches `payload` (partially). */
export function pushOf(socket: TestSocket, action: string, payload: object): Promise<Frame> {
  return socket.waitFor(
    (frame) =>
      frame.type === 'push' &&
      frame.action === action &&
      Object.entries(payload).every(
        ([key, value]) => JSON.stringify(frame.payload?.[key]) === JSON.stringify(value),
      ),
  );
}

/**
 * The configuration changes stored in JetStream for an organization, oldest first, read back
 * through the stream's direct-get API: what a durable consumer (webhooks, router) will see.
 */
export async function storedChanges(
  harness: Harness,
  organizationId: string,
): Promise<(ConfigurationChange & { payload: unknown })[]> {
  const stream = harness.subjects.configurationStream;
  const subject = harness.subjects.configurationChanges(organizationId);
  const changes: (ConfigurationChange & { payload: unknown })[] = [];
  for (let sequence = 1; ; sequence += 1) {
    const reply = await harness.nats.request(
      `$JS.API.STREAM.MSG.GET.${stream}`,
      JSON.stringify({ seq: sequence, next_by_subj: subject }),
    );
    const answer = JSON.parse(new TextDecoder().decode(reply.data)) as {
      message?: { seq: number; data: string };
    };
    if (!answer.message) return changes;
    const change = ConfigurationChange.decode(Buffer.from(answer.message.data, 'base64'));
    changes.push({ ...change, payload: JSON.parse(change.payloadJson) });
    sequence = answer.message.seq;
  }
}
