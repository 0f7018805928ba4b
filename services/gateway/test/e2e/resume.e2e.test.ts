import { createAgent, createClient, createOrganization } from '@threadline/accounts';
import { type PushFrame, pushPositionOf } from '@threadline/protocol';
import { createWebClient, ResumeCursors, RtmClient, requestCustomerToken } from '@threadline/sdk';
import { eventually } from '@threadline/testkit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2eWorld, isChat, startE2eWorld } from './e2e-world.ts';

/**
 * Threadline's gap-free resume through two gateways and two chat-stores: sockets cut at random
 * points of a burst reconnect with their cursors and end up with every event exactly once, in
 * order; a cursor too far behind is told to re-list; nobody resumes a chat they may not see.
 */
const maxBatches = 100;
const pushTimeoutMs = 20_000;

let world: E2eWorld;

beforeAll(async () => {
  world = await startE2eWorld({
    name: 'resume',
    replicas: 2,
    environment: { RTM_RESUME_MAX_BATCHES: String(maxBatches) },
  });
});

afterAll(async () => {
  await world?.stop();
});

const gatewayUrl = (gateway: number) => world.platform.gatewayUrls[gateway % 2]!;

/**
 * One user's RTM view across connections: the chat's pushes in arrival order, cursors carried
 * from one connection to the next, and a socket that can be cut.
 */
class Receiver {
  readonly cursors = new ResumeCursors();
  readonly pushes: PushFrame[] = [];
  socket: RtmClient | undefined;
  connections = 0;

  constructor(
    private readonly api: 'agent' | 'customer',
    private readonly token: string,
    private readonly organizationId: string,
    private readonly chatId: () => string | undefined,
  ) {}

  async connect(gateway: number, extra: Record<string, unknown> = {}) {
    const socket = await RtmClient.connect({
      baseUrl: gatewayUrl(gateway),
      api: this.api,
      organizationId: this.organizationId,
      resume: this.cursors,
    });
    socket.onPush((push) => {
      if (isChat(this.chatId() ?? '')(push.payload as Record<string, unknown>))
        this.pushes.push(push);
    });
    this.socket = socket;
    this.connections += 1;
    return socket.login({ token: this.token, ...extra });
  }

  /** Ids of the chat's events, in the order their incoming_event pushes came. */
  eventIds(): string[] {
    return this.pushes
      .filter((push) => push.action === 'incoming_event')
      .map((push) => (push.payload as { event: { id: string } }).event.id);
  }
}

async function organizationWithChat() {
  const { accounts } = world;
  const organization = await createOrganization(accounts, { name: 'Resume' });
  const client = await createClient(accounts, { organizationId: organization.id, name: 'Widget' });
  const created = await createAgent(accounts, {
    organizationId: organization.id,
    email: `ann-${organization.id.slice(0, 8)}@resume.test`,
    name: 'Ann',
    role: 'owner',
  });
  const agentToken = `Basic ${created.basicCredentials}`;
  // Stays connected throughout, so the agent keeps accepting chats while its other socket is cut.
  const anchor = await world.connectAgent(created, 1);
  await anchor.request('set_routing_status', { status: 'accepting_chats' });
  const customerToken = await requestCustomerToken(gatewayUrl(0), {
    grantType: 'cookie',
    clientId: client.id,
    organizationId: organization.id,
  });
  let chatId: string | undefined;
  const customer = new Receiver(
    'customer',
    `Bearer ${customerToken.access_token}`,
    organization.id,
    () => chatId,
  );
  const agent = new Receiver('agent', agentToken, organization.id, () => chatId);
  await customer.connect(0);
  await agent.connect(1);
  const started = await customer.socket!.request('start_chat', {
    chat: { thread: { events: [{ type: 'message', text: 'hello' }] } },
  });
  chatId = String(started.chat_id);
  await anchor.waitForPush('incoming_chat', isChat(chatId), pushTimeoutMs);
  const web = {
    customer: createWebClient({
      baseUrl: gatewayUrl(0),
      api: 'customer',
      credentials: { bearer: customerToken.access_token },
      organizationId: organization.id,
    }),
    agent: createWebClient({
      baseUrl: gatewayUrl(1),
      api: 'agent',
      credentials: { accountId: created.agent.accountId, personalAccessToken: created.pat },
    }),
  };
  return { organization, client, agentToken, chatId, customer, agent, anchor, web };
}

/** Cuts the receiver's socket after a random 10–60 more of the chat's pushes, and reconnects. */
async function cutRepeatedly(receiver: Receiver, until: () => boolean, random: () => number) {
  let gateway = 0;
  while (!until()) {
    const target = receiver.pushes.length + 10 + Math.floor(random() * 50);
    for (let waited = 0; receiver.pushes.length < target && !until() && waited < 5_000; waited += 5)
      await new Promise((resolve) => setTimeout(resolve, 5));
    if (until()) return;
    await receiver.socket!.terminate();
    gateway += 1;
    const answer = await receiver.connect(gateway);
    expect(answer.relist).toEqual([]);
  }
}

/** A seeded generator, so a failing run can be repeated (mulberry32). */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Positions of the replayable pushes received, as `sequence.index` strictly increasing. */
function positions(receiver: Receiver): [number, number][] {
  return positionsOf(receiver.pushes);
}

function positionsOf(pushes: PushFrame[]): [number, number][] {
  return pushes.flatMap((push) => {
    const position = pushPositionOf(push.payload);
    return position?.index === undefined
      ? []
      : [[position.sequence, position.index] as [number, number]];
  });
}

function isStrictlyIncreasing(list: [number, number][]): boolean {
  return list.every(
    ([sequence, index], at) =>
      at === 0 ||
      sequence > list[at - 1]![0] ||
      (sequence === list[at - 1]![0] && index > list[at - 1]![1]),
  );
}

describe('gap-free resume', () => {
  it('a customer and an agent cut at random points of a 300-message burst miss nothing and get nothing twice', async () => {
    const seed = Date.now() % 100_000;
    const random = seeded(seed);
    const { chatId, customer, agent, anchor, web } = await organizationWithChat();
    // Two writers at once, through different gateways and chat-stores: the chat's batches race,
    // so pushes may leave chat-store out of order and the gateway must restore it.
    const sent = { agent: [] as string[], customer: [] as string[] };
    let done = false;
    const writer = async (who: 'agent' | 'customer', count: number) => {
      for (let message = 0; message < count; message++) {
        const answer = await web[who].call('send_event', {
          chat_id: chatId,
          event: { type: 'message', text: `${who} ${message}` },
        });
        sent[who].push(String(answer.event_id));
      }
    };
    const burst = Promise.all([writer('agent', 100), writer('customer', 200)]).then(() => {
      done = true;
    });
    await Promise.all([
      burst,
      cutRepeatedly(customer, () => done, random),
      cutRepeatedly(agent, () => done, random),
    ]);
    const all = [...sent.agent, ...sent.customer];
    for (const receiver of [customer, agent]) {
      await eventually(() => {
        expect(receiver.eventIds()).toContain(sent.agent.at(-1));
        expect(receiver.eventIds()).toContain(sent.customer.at(-1));
      }, pushTimeoutMs);
      const received = receiver.eventIds();
      expect(new Set(received).size, `duplicates (seed ${seed})`).toBe(received.length);
      const ofBurst = received.filter((id) => all.includes(id));
      expect(ofBurst.length, `gap (seed ${seed})`).toBe(all.length);
      for (const who of ['agent', 'customer'] as const) {
        expect(
          ofBurst.filter((id) => sent[who].includes(id)),
          `order (seed ${seed})`,
        ).toEqual(sent[who]);
      }
      // In the chat's order: positions only ever grow, across every connection.
      expect(isStrictlyIncreasing(positions(receiver)), `positions (seed ${seed})`).toBe(true);
      expect(receiver.connections).toBeGreaterThan(3);
    }
    // A socket never cut gets the chat in order too.
    const uncut = anchor.pushes.filter((push) =>
      isChat(chatId)(push.payload as Record<string, unknown>),
    );
    expect(isStrictlyIncreasing(positionsOf(uncut)), `uncut (seed ${seed})`).toBe(true);
  });

  it('answers relist_required for a cursor further behind than the limit, then goes on live', async () => {
    const { chatId, customer, web } = await organizationWithChat();
    await customer.socket!.close();
    for (let count = 0; count <= maxBatches; count++) {
      await web.agent.call('send_event', {
        chat_id: chatId,
        event: { type: 'message', text: `while away ${count}` },
      });
    }
    const before = customer.pushes.length;
    const answer = await customer.connect(1);
    expect(answer.relist).toEqual([chatId]);
    const outcome = (answer.resume as { chats: { chat_id: string; status: string }[] }).chats;
    expect(outcome).toEqual([
      { chat_id: chatId, status: 'relist_required', sequence: expect.any(Number) },
    ]);
    const late = await web.agent.call('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'back live' },
    });
    await eventually(() => expect(customer.eventIds()).toContain(late.event_id), pushTimeoutMs);
    // Nothing of the missed stretch was replayed: the client re-lists it (get_chat).
    expect(customer.pushes.slice(before).map((push) => push.action)).toEqual(['incoming_event']);
    const chat = await customer.socket!.request('get_chat', { chat_id: chatId });
    expect(JSON.stringify(chat)).toContain(`while away ${maxBatches}`);
  });

  it('resumes nobody into a chat they may not see, with the same answer as for no chat at all', async () => {
    const { chatId, organization, client, customer, web } = await organizationWithChat();
    const stranger = await organizationWithChat();
    const otherCustomer = await world.connectCustomer(organization.id, client.id, 0);
    const sockets = [otherCustomer.socket, stranger.agent.socket!, stranger.customer.socket!];
    const cursor = { chats: [{ chat_id: chatId, after_sequence: 0 }] };
    const nowhere = { chats: [{ chat_id: 'NOSUCHCHAT', after_sequence: 0 }] };
    for (const socket of sockets) {
      expect(await socket.request('resume_chats', cursor)).toEqual({
        chats: [{ chat_id: chatId, status: 'not_found' }],
      });
      expect(await socket.request('resume_chats', nowhere)).toEqual({
        chats: [{ chat_id: 'NOSUCHCHAT', status: 'not_found' }],
      });
    }
    // The login option answers the same way (another organization's agent).
    const intruder = await RtmClient.connect({ baseUrl: gatewayUrl(1), api: 'agent' });
    sockets.push(intruder);
    const login = await intruder.request('login', { token: stranger.agentToken, resume: cursor });
    expect(login.resume).toEqual({ chats: [{ chat_id: chatId, status: 'not_found' }] });
    await web.customer.call('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'private' },
    });
    // The chat's own customer hears it: by then the others would have too, had it reached them.
    await eventually(
      () => expect(JSON.stringify(customer.pushes)).toContain('"text":"private"'),
      pushTimeoutMs,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const socket of sockets) {
      expect(
        socket.pushes.filter((push) => isChat(chatId)(push.payload as Record<string, unknown>)),
      ).toEqual([]);
    }
  });

  it('resume_chats on a logged-in socket replays what came after the cursor, then continues live', async () => {
    const { chatId, customer, web } = await organizationWithChat();
    const cursor = customer.cursors.of(chatId)!;
    const isAfterCursor = (push: PushFrame) => {
      const position = pushPositionOf(push.payload);
      return (
        position?.index !== undefined &&
        (position.sequence > cursor.after_sequence ||
          (position.sequence === cursor.after_sequence &&
            position.index > (cursor.after_index ?? Number.POSITIVE_INFINITY)))
      );
    };
    const missed: string[] = [];
    for (let count = 0; count < 5; count++) {
      const answer = await web.agent.call('send_event', {
        chat_id: chatId,
        event: { type: 'message', text: `missed ${count}` },
      });
      missed.push(String(answer.event_id));
    }
    await eventually(() => expect(customer.eventIds()).toContain(missed.at(-1)), pushTimeoutMs);
    const liveAfterCursor = customer.pushes.filter(isAfterCursor);
    const before = customer.pushes.length;
    const answer = await customer.socket!.request('resume_chats', { chats: [cursor] });
    expect(answer).toEqual({
      chats: [{ chat_id: chatId, status: 'resumed', sequence: expect.any(Number) }],
    });
    await eventually(
      () => expect(customer.pushes.length).toBe(before + liveAfterCursor.length),
      pushTimeoutMs,
    );
    expect(customer.pushes.slice(before)).toEqual(liveAfterCursor);
    const late = await web.agent.call('send_event', {
      chat_id: chatId,
      event: { type: 'message', text: 'live again' },
    });
    await eventually(() => expect(customer.eventIds().at(-1)).toBe(late.event_id), pushTimeoutMs);
  });
});
