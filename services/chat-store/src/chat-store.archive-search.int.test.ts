import { randomUUID } from 'node:crypto';
import type { Requester } from '@threadline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestChatStores, type TestChatStores } from './testing/harness.ts';

let sut: TestChatStores;
let group: number;
let agent: Requester;

type Archive = {
  chats: {
    id: string;
    thread: { id: string; highlight?: { event_id: string; highlight: string }[] };
  }[];
  found_chats: number;
  next_page_id?: string;
};

beforeAll(async () => {
  sut = await startTestChatStores(1);
  group = 2000 + Math.floor(Math.random() * 100_000);
  agent = sut.agent({ groupIds: [group] });
});
afterAll(async () => {
  await sut?.stop();
});

/** A customer's chat in the test's group (or as `overrides` say) opened with these messages. */
async function aChat(texts: string[], issuedAt?: string, overrides: Partial<Requester> = {}) {
  const customer = sut.customer({ groupIds: [group], ...overrides });
  const events = texts.map((text) => ({ type: 'message', text }));
  const started = await sut.execute<{ chat_id: string; thread_id: string }>(
    'start_chat',
    { chat: { thread: { events } } },
    customer,
    issuedAt ? { issuedAt } : {},
  );
  return { ...started, customer };
}

const archives = (payload: Record<string, unknown>, requester = agent) =>
  sut.query<Archive>('list_archives', payload, requester);
const threadIds = (archive: Archive) => archive.chats.map((chat) => chat.thread.id);
/** A word no other test writes, so a search for it sees only this test's threads. */
const uniqueWord = () => `w${randomUUID().replaceAll('-', '').slice(0, 12)}`;

describe('chat-store list_archives search', () => {
  it('searches the whole history, with no time window, and filters by chat properties', async () => {
    const word = uniqueWord();
    const old = await aChat([`${word} from long ago`], '2009-03-01T10:00:00.000Z');
    const recent = await aChat([`${word} today`]);
    await sut.execute(
      'update_chat_properties',
      { id: old.chat_id, properties: { crm: { tier: 'gold' } } },
      agent,
    );
    const found = await archives({ filters: { query: word } });
    expect(threadIds(found)).toEqual([recent.thread_id, old.thread_id]);
    const gold = { query: word, properties: { crm: { tier: { values: ['gold'] } } } };
    expect(threadIds(await archives({ filters: gold }))).toEqual([old.thread_id]);
    const before2010 = { query: word, to: '2010-01-01T00:00:00Z' };
    expect(threadIds(await archives({ filters: before2010 }))).toEqual([old.thread_id]);
  });

  it('matches the events holding every word of the query, and marks them with the given tags', async () => {
    const [first, second] = [uniqueWord(), uniqueWord()];
    const both = await aChat([`Order ${first} is late`, `Tracking ${second} for ${first}`]);
    await aChat([`Only ${first} here`, `and ${second} there`]);
    const archive = await archives({
      filters: { query: `${second.toUpperCase()} ${first}` },
      highlights: { pre_tag: '[', post_tag: ']' },
    });
    expect(threadIds(archive)).toEqual([both.thread_id]);
    expect(archive.chats[0]?.thread.highlight?.map((found) => found.highlight)).toEqual([
      `Order [${first}] is late`,
      `Tracking [${second}] for [${first}]`,
    ]);
  });

  it('never finds a deleted event by its words', async () => {
    const word = uniqueWord();
    const { chat_id, thread_id, customer } = await aChat([`${word} was a typo`, 'kept']);
    expect((await archives({ filters: { query: word } })).found_chats).toBe(1);
    await sut.execute('delete_event', { chat_id, thread_id, event_id: `${thread_id}_1` }, customer);
    expect((await archives({ filters: { query: word } })).found_chats).toBe(0);
    expect((await archives({ filters: { query: 'kept', chat_ids: [chat_id] } })).found_chats).toBe(
      1,
    );
  });

  it("keeps search within the reader's organization and groups", async () => {
    const word = uniqueWord();
    const ours = await aChat([`${word} in our organization`]);
    const otherOrganization = randomUUID();
    const theirs = await aChat([`${word} in theirs`], undefined, {
      organizationId: otherOrganization,
    });
    const search = { filters: { query: word }, highlights: {} };
    expect(threadIds(await archives(search))).toEqual([ours.thread_id]);
    const theirAgent = sut.agent({ organizationId: otherOrganization, groupIds: [group] });
    expect(threadIds(await archives(search, theirAgent))).toEqual([theirs.thread_id]);
    const outsider = sut.agent({ groupIds: [group + 1] });
    expect(await archives(search, outsider)).toMatchObject({ found_chats: 0, chats: [] });
    const askingForOurGroup = { filters: { query: word, group_ids: [group] } };
    expect((await archives(askingForOurGroup, outsider)).found_chats).toBe(0);
  });

  it('pages on with page ids while newer matching threads arrive, skipping and repeating none', async () => {
    const word = uniqueWord();
    const at = (minute: number) => `2024-06-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
    const older: string[] = [];
    for (let minute = 0; minute < 5; minute++) {
      older.unshift((await aChat([`${word} ${minute}`], at(minute))).thread_id);
    }
    const first = await archives({ filters: { query: word }, limit: 2 });
    expect(threadIds(first)).toEqual(older.slice(0, 2));
    const arrivals = [aChat([`${word} new`]), aChat([`${word} newer`])];
    const second = await archives({ page_id: first.next_page_id });
    await Promise.all(arrivals);
    const third = await archives({ page_id: second.next_page_id });
    expect([...threadIds(second), ...threadIds(third)]).toEqual(older.slice(2));
    expect(third.next_page_id).toBeUndefined();
    expect((await archives({ filters: { query: word } })).found_chats).toBe(7);
  });
});
