import { describe, expect, it } from 'vitest';
import { fold } from '../chat.evolve.ts';
import type { ChatDomainEvent } from '../chat.types.ts';
import { eventsOf } from '../testing/decider-spec.ts';
import * as given from '../testing/factories.ts';
import { eventsTouchedBy, projectBatch, threadsTouchedBy } from './batch.projection.ts';
import { type FoldBatch, type FoldedRows, ProjectionFold } from './projection-fold.ts';
import type { ChatRow, EventRow, ThreadRow } from './rows.ts';

/** One organization's chat: started, assigned, a note, an edited and a deleted event, resumed. */
function aChatHistory(organizationId: string): FoldBatch[] {
  const customer = given.aCustomer({ organizationId });
  const agent = given.anAgent({ organizationId });
  const batches: ChatDomainEvent[][] = [];
  const step = (command: Parameters<typeof eventsOf>[1]) => {
    batches.push(eventsOf(fold(batches.flat()), command));
  };
  const inThread = { chat_id: 'CHAT000001', thread_id: 'THREAD0001' };
  step(given.startChat(customer, { chat: { thread: { events: [given.aMessage('hi')] } } }));
  step({ ...given.assignAgent(agent), actor: given.theRouter({ organizationId }) });
  step(given.sendEvent(agent, given.aMessage('internal', { visibility: 'agents' })));
  step(
    given.aCommand('update_event_properties', agent, {
      ...inThread,
      event_id: 'THREAD0001_1',
      properties: { rating: { score: 1 } },
    }),
  );
  step(given.aCommand('delete_event', customer, { ...inThread, event_id: 'THREAD0001_1' }));
  step(given.deactivateChat(agent));
  step(given.resumeChat(customer, { thread: { events: [given.aMessage('again')] } }));
  return batches.map((events, index) => ({
    organizationId,
    chatId: 'CHAT000001',
    version: index + 1,
    events,
  }));
}

/** The projection writer's way: each batch against the rows the ones before it left. */
function writtenOneByOne(batches: readonly FoldBatch[]) {
  const chats = new Map<string, ChatRow>();
  const threads = new Map<string, ThreadRow>();
  const events = new Map<string, EventRow>();
  for (const batch of batches) {
    const chat = chats.get(batch.organizationId);
    const key = (id: string) => `${batch.organizationId} ${id}`;
    const changes = projectBatch(
      {
        chat,
        threads: threadsTouchedBy(batch.events).flatMap((id) => threads.get(key(id)) ?? []),
        events: eventsTouchedBy(batch.events).flatMap((id) => events.get(key(id)) ?? []),
      },
      batch.version,
      batch.events,
    )!;
    chats.set(batch.organizationId, changes.chat);
    for (const thread of changes.threads) threads.set(key(thread.id), thread);
    for (const event of changes.events) events.set(key(event.id), event);
  }
  return sorted({
    chats: [...chats.values()],
    threads: [...threads.values()],
    events: [...events.values()],
  });
}

/** A store the fold's rows are upserted into, keyed as the tables are. */
function aStore() {
  const rows = {
    chats: new Map<string, ChatRow>(),
    threads: new Map<string, ThreadRow>(),
    events: new Map<string, EventRow>(),
    chatUsers: new Map<string, string>(),
  };
  return {
    rows,
    write(folded: FoldedRows) {
      for (const chat of folded.chats) rows.chats.set(`${chat.organizationId} ${chat.id}`, chat);
      for (const thread of folded.threads)
        rows.threads.set(`${thread.organizationId} ${thread.id}`, thread);
      for (const event of folded.events)
        rows.events.set(`${event.organizationId} ${event.id}`, event);
      for (const user of folded.chatUsers) {
        const key = `${user.organizationId} ${user.chatId} ${user.userId}`;
        if (!rows.chatUsers.has(key)) rows.chatUsers.set(key, user.userType);
      }
    },
    read(needed: ReturnType<ProjectionFold['rowsNeededBy']>) {
      const chatKeys = new Set(needed.chats.map((chat) => chat.organizationId));
      const eventKeys = new Set(
        needed.events.map((event) => `${event.organizationId} ${event.id}`),
      );
      return {
        chats: [...rows.chats.values()].filter((chat) => chatKeys.has(chat.organizationId)),
        threads: [...rows.threads.values()].filter((thread) => chatKeys.has(thread.organizationId)),
        events: [...rows.events.entries()]
          .filter(([key]) => eventKeys.has(key))
          .map(([, event]) => event),
      };
    },
    contents() {
      return sorted({
        chats: [...rows.chats.values()],
        threads: [...rows.threads.values()],
        events: [...rows.events.values()],
      });
    },
  };
}

function sorted(rows: { chats: ChatRow[]; threads: ThreadRow[]; events: EventRow[] }) {
  const by =
    <T>(key: (row: T) => string) =>
    (left: T, right: T) =>
      key(left) < key(right) ? -1 : 1;
  return {
    chats: rows.chats.toSorted(by((chat) => `${chat.organizationId} ${chat.id}`)),
    threads: rows.threads.toSorted(by((thread) => `${thread.organizationId} ${thread.id}`)),
    events: rows.events.toSorted(by((event) => `${event.organizationId} ${event.id}`)),
  };
}

/** Two chats' batches interleaved, as the stream holds them. */
function interleaved(): FoldBatch[] {
  const [first, second] = [aChatHistory('org-1'), aChatHistory('org-2')];
  return first.flatMap((batch, index) => [batch, ...(second[index] ? [second[index]] : [])]);
}

describe('projection fold', () => {
  it('folds many chats at once into the rows the writer writes batch by batch', () => {
    const batches = interleaved();
    const fold = new ProjectionFold();
    const store = aStore();

    expect(batches.map((batch) => fold.apply(batch))).toEqual(batches.map(() => 'applied'));
    store.write(fold.takeChanges());

    expect(store.contents()).toEqual(writtenOneByOne(batches));
    expect([...store.rows.chatUsers].sort()).toEqual([
      ['org-1 CHAT000001 agent@example.com', 'agent'],
      ['org-1 CHAT000001 customer-1', 'customer'],
      ['org-2 CHAT000001 agent@example.com', 'agent'],
      ['org-2 CHAT000001 customer-1', 'customer'],
    ]);
  });

  it('reads back what it no longer holds, and folds in pieces into the same rows', () => {
    const batches = interleaved();
    // Holds no chat between pieces: every piece after the first reads its chats back.
    const fold = new ProjectionFold({ maxHeldChats: 0 });
    const store = aStore();
    const asked = [];
    for (let start = 0; start < batches.length; start += 3) {
      const piece = batches.slice(start, start + 3);
      const needed = fold.rowsNeededBy(piece);
      asked.push(needed);
      fold.seed(store.read(needed));
      for (const batch of piece) expect(fold.apply(batch)).toBe('applied');
      store.write(fold.takeChanges());
    }

    expect(asked[0]).toEqual({ chats: [], events: [] });
    expect(asked.slice(1).every((needed) => needed.chats.length > 0)).toBe(true);
    expect(asked.flatMap((needed) => needed.events).map((event) => event.id)).toContain(
      'THREAD0001_1',
    );
    expect(store.contents()).toEqual(writtenOneByOne(batches));
  });

  it('skips a batch it has folded and refuses one that comes before its predecessor', () => {
    const [first, second, third] = aChatHistory('org-1');
    const fold = new ProjectionFold();
    expect(fold.apply(first!)).toBe('applied');
    expect(fold.apply(third!)).toBe('gap');
    expect(fold.apply(second!)).toBe('applied');
    expect(fold.apply(first!)).toBe('skipped');
    expect(fold.takeChanges().chats.map((chat) => chat.version)).toEqual([2]);
  });
});
