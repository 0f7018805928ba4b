import { createGroup } from '@threadline/accounts';
import { errorTypes, httpStatusByErrorType, methodCatalog } from '@threadline/protocol';
import { requestCustomerToken } from '@threadline/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createTeam,
  type E2eWorld,
  isChat,
  startE2eWorld,
  startWebhookReceiver,
} from './e2e-world.ts';
import {
  hostileValue,
  mutatedPayload,
  pollutionCanary,
  pollutionKeys,
  rawWire,
  serialize,
  type Wire,
} from './hostile-input.ts';

/**
 * Property-based fuzzing of the gateway's edge with the real services behind it: thousands of
 * generated and mutated RTM frames (agent, customer, and logins) and Web API bodies (agent,
 * customer, configuration). Whatever arrives, the gateway answers with a success or the
 * protocol's error envelope (an RTM answer keeps the frame's request_id), never `internal`,
 * never hangs; no process dies, the gateway's process has no unhandled error and an unpolluted
 * `Object.prototype`; and afterwards another organization's chat is intact and a new one works.
 *
 * Deterministic: FUZZ_SEED (default below) and FUZZ_RUNS choose the cases; a failure prints the
 * seed and the case. The gateway runs in this process, chat-store, router and webhook as
 * processes started with `--disable-proto=throw` (as testkit and the image start every service),
 * so a payload that reaches `obj.__proto__` there fails loudly instead of silently polluting.
 */

const seed = Number(process.env.FUZZ_SEED ?? 20_261_206);
const numRuns = Number(process.env.FUZZ_RUNS ?? 2_000);
const maxBodyBytes = 256 * 1024;
/** The gateway's request timeout in this world: a case waiting longer than this hangs. */
const requestTimeoutMs = 5_000;
const answerTimeoutMs = requestTimeoutMs * 3;
/** Web API bodies are JSON whatever their declared type, unless a form says it is one. */
const contentTypes = [
  'application/json',
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
];
/** Answers that are the gateway's fault, not the input's. */
const faultTypes = ['internal', 'request_timeout', 'service_unavailable'];

let world: E2eWorld;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
const unhandled: unknown[] = [];
const recordUnhandled = (error: unknown) => unhandled.push(error);
const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  process.on('unhandledRejection', recordUnhandled);
  process.on('uncaughtException', recordUnhandled);
  receiver = await startWebhookReceiver();
  world = await startE2eWorld({
    name: 'hostile-input',
    replicas: 1,
    inProcessGateway: {
      MAX_BODY_BYTES: String(maxBodyBytes),
      REQUEST_TIMEOUT_MS: String(requestTimeoutMs),
      LOG_LEVEL: 'silent',
    },
  });
});

afterAll(async () => {
  await world?.stop();
  receiver?.server.close();
  process.off('unhandledRejection', recordUnhandled);
  process.off('uncaughtException', recordUnhandled);
});

/** An organization with a group, a widget, its owner and another agent. */
async function organization(name: string) {
  const { organizationId, clientId, agent } = await createTeam(world.accounts, name);
  const group = await createGroup(world.accounts, { organizationId, name: 'Support' });
  return {
    organizationId,
    groupId: group.id,
    clientId,
    owner: await agent('owner', 'owner', [group.id]),
    other: await agent('other', 'normal', [group.id]),
  };
}

type Team = Awaited<ReturnType<typeof organization>>;

/** A customer's chat with the team's owner: started, and answered. */
async function customerChat(team: Team, text: string) {
  const agent = await world.connectAgent(team.owner);
  await agent.request('set_routing_status', { status: 'accepting_chats' });
  const { socket, customerId } = await world.connectCustomer(team.organizationId, team.clientId);
  const started = await socket.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text }] } },
  });
  const chatId = String(started.chat_id);
  const threadId = String(started.thread_id);
  await agent.waitForPush('incoming_chat', isChat(chatId), 20_000);
  const answered = await agent.request('send_event', {
    chat_id: chatId,
    event: { type: 'message', text: `Re: ${text}` },
  });
  await socket.waitForPush('incoming_event', isChat(chatId), 20_000);
  return { agent, socket, customerId, chatId, threadId, eventId: String(answered.event_id) };
}

/** An RTM socket that hands over each frame the gateway sends, or how it closed. */
class RawSocket {
  private readonly frames: Record<string, unknown>[] = [];
  private waiter: (() => void) | undefined;
  closeCode: number | undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.waiter?.();
    });
    socket.on('close', (code) => {
      this.closeCode = code;
      this.waiter?.();
    });
    socket.on('error', () => {});
  }

  static async open(api: 'agent' | 'customer', organizationId: string): Promise<RawSocket> {
    const url = new URL(`/v3.6/${api}/rtm/ws`, world.gatewayUrls[0]!);
    url.protocol = 'ws:';
    url.searchParams.set('organization_id', organizationId);
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new RawSocket(socket);
  }

  get isOpen() {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(wire: Wire) {
    if ('text' in wire) this.socket.send(wire.text);
    else this.socket.send(wire.bytes, { binary: wire.binary });
  }

  /** The next response frame (pushes are skipped), or the close code if the socket closes first. */
  async nextResponse(): Promise<Record<string, unknown> | { closed: number }> {
    const deadline = Date.now() + answerTimeoutMs;
    for (;;) {
      const index = this.frames.findIndex((frame) => frame.type === 'response');
      if (index >= 0) {
        const [frame] = this.frames.splice(0, index + 1).slice(-1);
        return frame!;
      }
      this.frames.length = 0;
      if (this.closeCode !== undefined) return { closed: this.closeCode };
      if (Date.now() > deadline) throw new Error(`no answer within ${answerTimeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 200);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  close() {
    this.socket.terminate();
  }
}

function expectErrorEnvelope(body: unknown): string {
  const error = (body as { error?: { type?: unknown; message?: unknown } } | null)?.error;
  expect(errorTypes, JSON.stringify(body)).toContain(error?.type);
  expect(typeof error?.message).toBe('string');
  expect(faultTypes, JSON.stringify(body)).not.toContain(error?.type);
  return String(error?.type);
}

/** The request_id the gateway can read from what was sent (and must answer with). */
function readableRequestId(wire: Wire): string | undefined {
  if (!('text' in wire) && (wire.binary || !isUtf8(wire.bytes))) return undefined;
  const text = 'text' in wire ? wire.text : new TextDecoder().decode(wire.bytes);
  try {
    const frame = JSON.parse(text) as { request_id?: unknown } | null;
    return typeof frame?.request_id === 'string' ? frame.request_id : undefined;
  } catch {
    return undefined;
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe('hostile input', () => {
  it('is answered with the protocol error envelope, and leaves the platform serving', {
    timeout: 600_000,
  }, async () => {
    const intact = await organization('Intact');
    const before = await customerChat(intact, 'Written before the fuzzing');
    const intactThreads = () => before.agent.request('list_threads', { chat_id: before.chatId });
    const threadsBefore = await intactThreads();
    const fuzzed = await organization('Fuzzed');
    const chat = await customerChat(fuzzed, 'The chat the fuzzer aims at');
    const customerToken = await requestCustomerToken(world.gatewayUrls[0]!, {
      grantType: 'cookie',
      clientId: fuzzed.clientId,
      organizationId: fuzzed.organizationId,
    });
    const credentials = {
      agent: `Basic ${fuzzed.owner.basicCredentials}`,
      customer: `Bearer ${customerToken.access_token}`,
    };
    const seeds = seedPayloads(fuzzed, chat, receiver.url);

    const sockets: Partial<Record<'agent' | 'customer', RawSocket>> = {};
    const loggedIn = async (api: 'agent' | 'customer') => {
      const existing = sockets[api];
      if (existing?.isOpen) return existing;
      const socket = await RawSocket.open(api, fuzzed.organizationId);
      socket.send({
        text: JSON.stringify({ action: 'login', payload: { token: credentials[api] } }),
      });
      const answer = await socket.nextResponse();
      expect(answer).toMatchObject({ action: 'login', success: true });
      sockets[api] = socket;
      return socket;
    };

    type Target = 'rtm' | 'login' | 'web' | 'token';
    const apis = { rtm: ['agent', 'customer'], login: ['agent', 'customer'] } as const;
    const requestCase = (target: Target, api: 'agent' | 'customer' | 'configuration') => {
      const methods = Object.keys(methodCatalog).filter((name) => {
        const entry = methodCatalog[name as keyof typeof methodCatalog];
        return entry.apis.includes(api) && (target !== 'web' || !entry.rtmOnly);
      });
      const seeded = Object.keys(seeds[api]);
      const action: fc.Arbitrary<string> =
        target === 'login' || target === 'token'
          ? fc.constant(target)
          : fc.oneof(
              { weight: 6, arbitrary: fc.constantFrom(...seeded) },
              { weight: 3, arbitrary: fc.constantFrom(...methods) },
              { weight: 1, arbitrary: fc.oneof(fc.string(), fc.constantFrom(...pollutionKeys)) },
            );
      return action.chain((seedName) => {
        const apiSeeds = seeds[api] as Record<string, unknown>;
        const seedPayload =
          seedName === 'login'
            ? { token: credentials[api as 'agent' | 'customer'], pushes: { '3.6': ['all'] } }
            : seedName === 'token'
              ? {
                  grant_type: 'cookie',
                  response_type: 'token',
                  client_id: fuzzed.clientId,
                  organization_id: fuzzed.organizationId,
                }
              : Object.hasOwn(apiSeeds, seedName)
                ? apiSeeds[seedName]
                : undefined;
        // A method's other seeds are named `<method>#<variant>`.
        const name = seedName.replace(/#.*$/, '');
        const payload = fc.oneof(
          {
            weight: 6,
            arbitrary: seedPayload === undefined ? fc.constant({}) : mutatedPayload(seedPayload),
          },
          { weight: 2, arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), hostileValue) },
          { weight: 1, arbitrary: hostileValue },
        );
        const frame = fc.record({
          payload,
          requestId: fc.oneof(
            { weight: 8, arbitrary: fc.uuid() },
            { weight: 1, arbitrary: hostileValue },
          ),
          version: fc.oneof(
            { weight: 12, arbitrary: fc.constant(null) },
            { weight: 1, arbitrary: fc.constantFrom('3.5', '3.6', '3.7', '2.0') },
            { weight: 1, arbitrary: fc.string() },
          ),
        });
        return frame.chain(({ payload, requestId, version }) => {
          const json =
            target === 'web' || target === 'token'
              ? serialize(payload ?? null)
              : serialize({
                  action: name,
                  payload,
                  request_id: requestId,
                  ...(version === null ? {} : { version }),
                });
          const wire: fc.Arbitrary<Wire> = fc.oneof(
            { weight: 4, arbitrary: fc.constant({ text: json }) },
            { weight: 1, arbitrary: rawWire(json, maxBodyBytes) },
          );
          return fc
            .tuple(wire, fc.constantFrom(...contentTypes))
            .map(([wire, contentType]) => ({ target, api, action: name, wire, contentType }));
        });
      });
    };
    const cases = fc.oneof(
      {
        weight: 4,
        arbitrary: fc.constantFrom(...apis.rtm).chain((api) => requestCase('rtm', api)),
      },
      {
        weight: 1,
        arbitrary: fc.constantFrom(...apis.login).chain((api) => requestCase('login', api)),
      },
      {
        weight: 4,
        arbitrary: fc
          .constantFrom('agent', 'customer', 'configuration' as const)
          .chain((api) => requestCase('web', api)),
      },
      { weight: 1, arbitrary: requestCase('token', 'customer') },
    );

    const counts: Record<string, number> = {};
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(cases, async ({ target, api, action, wire, contentType }) => {
        const caseStarted = Date.now();
        let errorType = 'ok';
        if (target === 'web' || target === 'token') {
          const call = { api, action, contentType, organizationId: fuzzed.organizationId };
          errorType = await sendWeb(call, wire, credentials);
        } else {
          const socket =
            target === 'login'
              ? await RawSocket.open(api as 'agent' | 'customer', fuzzed.organizationId)
              : await loggedIn(api as 'agent' | 'customer');
          errorType = await sendRtm(socket, wire);
          if (target === 'login') socket.close();
        }
        counts[errorType] = (counts[errorType] ?? 0) + 1;
        if (Date.now() - caseStarted > 2_000) {
          console.warn(
            `slow case ${Date.now() - caseStarted} ms: ${target} ${api} ${action}`,
            brief({ wire }).slice(0, 600),
          );
        }
        expect(unhandled).toEqual([]);
        expect(({} as Record<string, unknown>)[pollutionCanary]).toBeUndefined();
        expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
        for (const service of world.platform.processes) {
          expect(service.child.exitCode, `${service.service} exited`).toBeNull();
        }
      }),
      { seed, numRuns, endOnFailure: true, asyncReporter: reportBriefly },
    );
    console.info(
      `hostile input: ${numRuns} cases (seed ${seed}) in ${Date.now() - started} ms:`,
      JSON.stringify(counts),
    );
    for (const socket of Object.values(sockets)) socket?.close();

    // The chat written before is as it was, and a new chat works on both organizations.
    expect(await intactThreads()).toEqual(threadsBefore);
    await customerChat(intact, 'Written after the fuzzing');
    const after = await world.connectAgent(fuzzed.owner);
    expect(await after.request('ping', {})).toEqual({});
  });
});

/**
 * A failure's seed and case, long strings cut short (a case may carry megabytes): rerun it with
 * FUZZ_SEED and fast-check's `path`.
 */
async function reportBriefly<T>(details: fc.RunDetails<T>): Promise<void> {
  if (!details.failed) return;
  throw new Error(
    `hostile input failed (FUZZ_SEED=${details.seed}, path ${details.counterexamplePath}, ` +
      `after ${details.numRuns} cases): ${brief(details.counterexample)}\n${String(details.errorInstance)}`,
    { cause: details.errorInstance },
  );
}

function brief(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' && item.length > 300
      ? `${item.slice(0, 300)}…(${item.length} chars)`
      : item,
  );
}

interface WebCall {
  api: string;
  action: string;
  contentType: string;
  organizationId: string;
}

/** Sends one case to the Web API; returns the answer's error type, `ok` for a success. */
async function sendWeb(
  { api, action, contentType, organizationId }: WebCall,
  wire: Wire,
  credentials: { agent: string; customer: string },
): Promise<string> {
  const path =
    action === 'token' ? '/v2/customer/token' : `/v3.6/${api}/action/${encodeURIComponent(action)}`;
  const url = new URL(path, world.gatewayUrls[0]!);
  if (api === 'customer') url.searchParams.set('organization_id', organizationId);
  const body = 'text' in wire ? wire.text : wire.bytes;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: api === 'customer' ? credentials.customer : credentials.agent,
      'content-type': contentType,
    },
    body,
    signal: AbortSignal.timeout(answerTimeoutMs),
  });
  const text = await response.text();
  let parsed: unknown;
  expect(
    () => {
      parsed = JSON.parse(text);
    },
    `${response.status} ${text.slice(0, 200)}`,
  ).not.toThrow();
  if (response.status === 200) {
    expect(typeof parsed === 'object' && parsed !== null, text.slice(0, 200)).toBe(true);
    return 'ok';
  }
  const type = expectErrorEnvelope(parsed);
  expect(response.status).toBe(httpStatusByErrorType[type as keyof typeof httpStatusByErrorType]);
  return type;
}

/** Sends one case on an RTM socket; returns the answer's error type, `ok`, or `closed_<code>`. */
async function sendRtm(socket: RawSocket, wire: Wire): Promise<string> {
  socket.send(wire);
  const answer = await socket.nextResponse();
  if ('closed' in answer) {
    // Only text that is not UTF-8 (RFC 6455 §8.1: fail the connection) or a frame past the
    // socket's cap (twice the answered limit) may end the connection unanswered.
    const size = 'text' in wire ? Buffer.byteLength(wire.text) : wire.bytes.length;
    const expected =
      size > maxBodyBytes * 2 ? 1009 : 'bytes' in wire && !isUtf8(wire.bytes) ? 1007 : 'an answer';
    expect(answer.closed, `closed ${answer.closed} without an answer`).toBe(expected);
    return `closed_${answer.closed}`;
  }
  expect(answer.request_id, JSON.stringify(answer).slice(0, 300)).toBe(readableRequestId(wire));
  if (answer.success === true) {
    expect(typeof answer.payload).toBe('object');
    return 'ok';
  }
  expect(answer.success).toBe(false);
  return expectErrorEnvelope(answer.payload);
}

/** Valid payloads of real methods, aimed at the fuzzed organization's own things. */
function seedPayloads(
  team: Team,
  chat: { customerId: string; chatId: string; threadId: string; eventId: string },
  webhookUrl: string,
) {
  const { chatId, threadId, eventId, customerId } = chat;
  const properties = { test: { string_property: 'seed', int_property: 7, bool_property: true } };
  const message = { type: 'message', text: 'seeded', visibility: 'all', properties };
  const shared = {
    send_event: { chat_id: chatId, event: message },
    // Events whose content is free-form (forwarded as it came): where depth and size tell.
    'send_event#custom': {
      chat_id: chatId,
      event: { type: 'custom', content: { seeded: { nested: [1, 'two', { three: 3 }] } } },
    },
    'send_event#rich': {
      chat_id: chatId,
      event: {
        type: 'rich_message',
        template_id: 'cards',
        elements: [
          {
            title: 'Card',
            buttons: [{ text: 'Yes', type: 'message', value: 'yes', postback_id: 'y' }],
          },
        ],
      },
    },
    'send_event#form': {
      chat_id: chatId,
      event: {
        type: 'filled_form',
        form_id: 'prechat',
        fields: [{ id: 'name', type: 'name', label: 'Name', answer: 'Seeded' }],
      },
    },
    get_chat: { chat_id: chatId, thread_id: threadId },
    list_chats: { limit: 10, sort_order: 'asc' },
    list_threads: { chat_id: chatId, limit: 3, sort_order: 'desc' },
    update_chat_properties: { id: chatId, properties },
    update_thread_properties: { chat_id: chatId, thread_id: threadId, properties },
    update_event_properties: {
      chat_id: chatId,
      thread_id: threadId,
      event_id: eventId,
      properties,
    },
    delete_chat_properties: { id: chatId, properties: { test: ['string_property'] } },
    send_typing_indicator: { chat_id: chatId, is_typing: true, visibility: 'all' },
    mark_events_as_seen: { chat_id: chatId, seen_up_to: '2030-01-01T00:00:00.000000Z' },
    send_rich_message_postback: {
      chat_id: chatId,
      thread_id: threadId,
      event_id: eventId,
      postback: { id: 'postback', toggled: true },
    },
    resume_chat: { chat: { id: chatId, thread: { events: [message] } } },
  };
  return {
    agent: {
      ...shared,
      start_chat: {
        chat: {
          users: [{ id: customerId, type: 'customer' }],
          access: { group_ids: [0, team.groupId] },
          thread: { events: [message], properties },
        },
        continuous: true,
      },
      list_archives: { filters: { query: 'seeded', group_ids: [0] }, limit: 10 },
      tag_thread: { chat_id: chatId, thread_id: threadId, tag: 'seeded' },
      transfer_chat: { id: chatId, target: { type: 'group', ids: [team.groupId] } },
      add_user_to_chat: {
        chat_id: chatId,
        user_id: team.other.agent.id,
        user_type: 'agent',
        visibility: 'all',
      },
      update_customer: { id: customerId, name: 'Seeded', email: 'seeded@example.com' },
      get_customer: { id: customerId },
      ban_customer: { id: 'not-a-customer-of-anyone', ban: { days: 1 } },
      set_routing_status: { status: 'accepting_chats' },
      multicast: { recipients: { agents: { all: true } }, content: { seeded: 1 } },
      subscribe_customers: { group_ids: [0], limit: 10 },
      list_customers: { limit: 10, filters: { name: { values: ['Seeded'] } } },
      send_event_preview: { chat_id: chatId, event: message },
    },
    customer: {
      ...shared,
      start_chat: {
        chat: { properties, access: { group_ids: [0] }, thread: { events: [message] } },
        continuous: true,
      },
      update_customer: {
        name: 'Seeded',
        email: 'seeded@example.com',
        avatar: 'https://example.com/a.png',
        session_fields: [{ seeded: 'yes' }],
      },
      set_customer_session_fields: { session_fields: [{ seeded: 'yes' }] },
      update_customer_page: { url: 'https://example.com/page', title: 'Page' },
      send_sneak_peek: { chat_id: chatId, sneak_peek_text: 'typing' },
      get_form: { group_id: 0, type: 'prechat' },
      list_group_statuses: { group_ids: [0, team.groupId] },
      check_goals: { page_url: 'https://example.com', group_id: 0, session_fields: [] },
      delete_event: { chat_id: chatId, thread_id: threadId, event_id: eventId },
    },
    configuration: {
      register_webhook: {
        url: webhookUrl,
        description: 'seeded',
        action: 'incoming_chat',
        secret_key: 'seeded-secret',
        type: 'license',
        owner_client_id: team.clientId,
        filters: { chat_presence: { user_ids: { values: [team.owner.agent.id] } } },
        additional_data: ['chat_properties'],
      },
      list_webhooks: { owner_client_id: team.clientId },
      create_agent: {
        id: 'seeded@fuzzed.test',
        name: 'Seeded',
        role: 'normal',
        groups: [{ id: 0, priority: 'normal' }],
        max_chats_count: 3,
      },
      update_agent: { id: team.other.agent.id, name: 'Other', max_chats_count: 4 },
      batch_update_agents: { requests: [{ id: team.other.agent.id, job_title: 'Seeded' }] },
      create_group: {
        name: 'Seeded',
        language_code: 'en',
        agent_priorities: { [team.other.agent.id]: 'normal' },
      },
      update_group: { id: team.groupId, name: 'Support' },
      create_bot: { name: 'Seeded', owner_client_id: team.clientId, max_chats_count: 2 },
      register_property: {
        name: 'seeded',
        owner_client_id: team.clientId,
        type: 'string',
        access: { chat: { agent: ['read', 'write'], customer: ['read'] } },
      },
      update_license_properties: { properties },
      create_tag: { name: 'seeded', group_ids: [0] },
      unban_customer: { customer_id: 'not-a-customer-of-anyone' },
      list_agents: { filters: { group_ids: [0] }, fields: ['max_chats_count'] },
      add_auto_access: {
        access: { groups: [team.groupId] },
        conditions: { domain: { values: [{ value: 'example.com', exact_match: false }] } },
        description: 'seeded',
      },
      create_greeting: {
        name: 'Seeded',
        group_id: 0,
        active: true,
        rules: [{ condition: 'and', type: 'url_current', operator: 'contains', value: 'x' }],
        rich_message: { template_id: 'cards', elements: [{ title: 'Hi' }] },
      },
    },
  };
}
