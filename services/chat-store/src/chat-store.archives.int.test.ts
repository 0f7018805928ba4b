import type { Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure } from './testing/failure.ts';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;
let agent: Requester;
let customer: Requester;
let starter: Requester;
const chats: { chat_id: string; thread_id: string }[] = [];

type Archive = {
  chats: {
    id: string;
    users: { id: string }[];
    is_followed: boolean;
    thread: {
      id: string;
      tags: string[];
      events: { text?: string }[];
      highlight?: { event_id: string; highlight: string }[];
    };
  }[];
  found_chats: number;
  next_page_id?: string;
  previous_page_id?: string;
};

/**
 * Three threads in a group of their own: a customer's chat, assigned, tagged and closed, then
 * resumed with a form (no agent yet); and a chat an agent started.
 */
beforeAll(async () => {
  sut = await startTestChatStores(1);
  const group = 40 + Math.floor(Math.random() * 1000);
  agent = sut.agent({ groupIds: [0, group] });
  customer = sut.customer({ groupIds: [group], email: 'carol@example.com' });
  const first = await sut.execute<{ chat_id: string; thread_id: string }>(
    'start_chat',
    { chat: { thread: { events: [{ type: 'message', text: 'My refund is late' }] } } },
    customer,
    { issuedAt: '2025-01-01T10:00:00.000Z' },
  );
  await sut.execute(
    'assign_agent',
    { ...first, agent: { id: agent.userId, name: agent.name } },
    sut.router(),
  );
  await sut.execute('tag_thread', { ...first, tag: 'billing' }, agent);
  await sut.execute('deactivate_chat', { id: first.chat_id }, agent);
  const second = await sut.execute<{ thread_id: string }>(
    'resume_chat',
    {
      chat: {
        id: first.chat_id,
        thread: {
          events: [
            {
              type: 'filled_form',
              fields: [{ id: 'q', type: 'question', label: 'Why?', answer: 'no' }],
            },
          ],
        },
      },
    },
    customer,
    { issuedAt: '2025-02-01T10:00:00.000Z' },
  );
  chats.push(first, { chat_id: first.chat_id, thread_id: second.thread_id });
  starter = sut.agent({ groupIds: [group] });
  const third = await sut.execute<{ chat_id: string; thread_id: string }>(
    'start_chat',
    {
      chat: {
        access: { group_ids: [group] },
        thread: { events: [{ type: 'message', text: 'Internal refund check' }] },
      },
    },
    starter,
    { issuedAt: '2025-03-01T10:00:00.000Z' },
  );
  chats.push(third);
  // Scope the searches to this test's group: other tests' chats live in group 0.
  groupFilter = { group_ids: [group] };
});
afterAll(async () => {
  await sut?.stop();
});

let groupFilter: { group_ids: number[] } = { group_ids: [] };
const archives = (payload: Record<string, unknown>, requester = agent) =>
  sut.query<Archive>('list_archives', payload, requester);
const threadIds = (archive: Archive) => archive.chats.map((chat) => chat.thread.id);

describe('chat-store list_archives', () => {
  it('lists one item per thread, newest first, each a whole chat with its events', async () => {
    const archive = await archives({ filters: groupFilter });
    expect(threadIds(archive)).toEqual([
      chats[2]?.thread_id,
      chats[1]?.thread_id,
      chats[0]?.thread_id,
    ]);
    expect(archive.found_chats).toBe(3);
    expect(archive.chats[2]).toMatchObject({
      id: chats[0]?.chat_id,
      is_followed: false,
      thread: { tags: ['billing'], events: [{ text: 'My refund is late' }, {}, {}] },
    });
  });

  it('searches event text and marks the matches when asked', async () => {
    const archive = await archives({
      filters: { ...groupFilter, query: 'REFUND' },
      highlights: {},
    });
    expect(threadIds(archive)).toEqual([chats[2]?.thread_id, chats[0]?.thread_id]);
    expect(archive.chats[1]?.thread.highlight).toEqual([
      expect.objectContaining({ highlight: 'My <em>refund</em> is late' }),
    ]);
    const plain = await archives({ filters: { ...groupFilter, query: 'late' } });
    expect(plain.chats[0]?.thread).not.toHaveProperty('highlight');
  });

  it('filters by tags, agents, event types, customer, dates and ids', async () => {
    const by = async (filters: Record<string, unknown>) =>
      threadIds(await archives({ filters: { ...groupFilter, ...filters } }));
    expect(await by({ tags: { values: ['billing'] } })).toEqual([chats[0]?.thread_id]);
    expect(await by({ tags: { exists: false } })).toHaveLength(2);
    expect(await by({ agents: { values: [agent.userId] } })).toEqual([chats[0]?.thread_id]);
    expect(await by({ agents: { exists: false } })).toEqual([chats[1]?.thread_id]);
    expect(await by({ event_types: { values: ['filled_form'] } })).toEqual([chats[1]?.thread_id]);
    expect(
      await by({
        event_types: { values: ['message', 'system_message'], require_every_value: true },
      }),
    ).toEqual([chats[0]?.thread_id]);
    expect(await by({ customer_id: customer.userId })).toHaveLength(2);
    expect(await by({ customer_email: 'CAROL@example.com' })).toHaveLength(2);
    expect(
      await by({ from: '2025-01-15T00:00:00.000000+00:00', to: '2025-02-15T00:00:00Z' }),
    ).toEqual([chats[1]?.thread_id]);
    expect(await by({ chat_ids: [chats[2]?.chat_id] })).toEqual([chats[2]?.thread_id]);
    const alone = await archives({ filters: { thread_ids: [chats[0]?.thread_id] } });
    expect(threadIds(alone)).toEqual([chats[0]?.thread_id]);
  });

  it('filters by agent responses; sales and goals, which Threadline does not record, match none', async () => {
    const by = async (filters: Record<string, unknown>) =>
      threadIds(await archives({ filters: { ...groupFilter, ...filters } }));
    const [group] = groupFilter.group_ids;
    expect(await by({ agent_response: { exists: true } })).toEqual([chats[2]?.thread_id]);
    expect(await by({ agent_response: { exists: false } })).toEqual([
      chats[1]?.thread_id,
      chats[0]?.thread_id,
    ]);
    const answeredBy = (agents: Record<string, unknown>, first = false) =>
      by({ agent_response: { agents, first } });
    expect(await answeredBy({ values: [starter.userId] }, true)).toEqual([chats[2]?.thread_id]);
    expect(await answeredBy({ values: [agent.userId] })).toEqual([]);
    expect(await answeredBy({ exclude_values: [starter.userId] })).toHaveLength(2);
    expect(await by({ agent_response: { groups: { values: [group] } } })).toEqual([
      chats[2]?.thread_id,
    ]);
    expect(await by({ agent_response: { groups: { exclude_values: [group] } } })).toEqual([]);
    expect(await by({ sales: { exists: true } })).toEqual([]);
    expect(await by({ goals: { values: ['signup'] } })).toEqual([]);
    expect(await by({ goals: { exists: false } })).toHaveLength(3);
    const both = {
      filters: { agent_response: { agents: { values: ['a'], exclude_values: ['b'] } } },
    };
    expect((await failure(archives(both))).type).toBe('validation');
    const unknown = await failure(
      archives({ filters: { customer_countries: { values: ['PL'] } } }),
    );
    expect(unknown.type).toBe('validation');
  });

  it('pages with page ids alone, forward and back', async () => {
    const first = await archives({ filters: groupFilter, limit: 2, sort_order: 'asc' });
    expect(threadIds(first)).toEqual([chats[0]?.thread_id, chats[1]?.thread_id]);
    expect(first.previous_page_id).toBeUndefined();
    const second = await archives({ page_id: first.next_page_id });
    expect(threadIds(second)).toEqual([chats[2]?.thread_id]);
    expect(second.next_page_id).toBeUndefined();
    const back = await archives({ page_id: second.previous_page_id });
    expect(threadIds(back)).toEqual(threadIds(first));
  });

  it('refuses thread_ids with other filters, customers, and bad filters', async () => {
    const mixed = { filters: { thread_ids: ['X'], query: 'refund' } };
    expect((await failure(archives(mixed))).type).toBe('validation');
    expect((await failure(archives({}, customer))).type).toBe('authorization');
    const twoKinds = { filters: { tags: { exists: true, values: ['x'] } } };
    expect((await failure(archives(twoKinds))).type).toBe('validation');
  });

  it('shows agents outside the groups nothing', async () => {
    const outsider = sut.agent({ groupIds: [999_999] });
    expect((await archives({ filters: groupFilter }, outsider)).found_chats).toBe(0);
  });
});

describe('chat-store list_chats filters', () => {
  it('filters chats by properties', async () => {
    const [first] = chats;
    await sut.execute(
      'update_chat_properties',
      { id: first?.chat_id, properties: { crm: { tier: 'gold', seats: 5 } } },
      agent,
    );
    const list = async (properties: Record<string, unknown>) =>
      (
        await sut.query<{ chats_summary: { id: string }[] }>(
          'list_chats',
          { filters: { ...groupFilter, properties } },
          agent,
        )
      ).chats_summary.map((chat) => chat.id);
    expect(await list({ crm: { tier: { values: ['gold', 'silver'] } } })).toEqual([first?.chat_id]);
    expect(await list({ crm: { seats: { values: ['5'] } } })).toEqual([]);
    expect(await list({ crm: { tier: { exists: true } } })).toEqual([first?.chat_id]);
    expect(await list({ crm: { tier: { exclude_values: ['gold'] } } })).toEqual([
      chats[2]?.chat_id,
    ]);
    const withThreads = await sut.query<{ found_chats: number }>(
      'list_chats',
      { filters: { ...groupFilter, include_chats_without_threads: false } },
      agent,
    );
    expect(withThreads.found_chats).toBe(2);
  });
});
