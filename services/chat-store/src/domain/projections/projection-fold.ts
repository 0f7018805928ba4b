import type { ChatDomainEvent } from '../chat.types.ts';
import { eventsTouchedBy, projectBatch, threadsTouchedBy } from './batch.projection.ts';
import type { ChatRow, EventRow, ThreadRow } from './rows.ts';

/** What a batch brings to the fold: its chat, its version and its (opened) events. */
export interface FoldBatch {
  organizationId: string;
  chatId: string;
  version: number;
  events: readonly ChatDomainEvent[];
}

/** A chat user as `chat_users` lists them: written when first added, never pruned. */
export interface ChatUserRow {
  organizationId: string;
  chatId: string;
  userId: string;
  userType: string;
}

export interface ChatKey {
  organizationId: string;
  chatId: string;
}

export interface EventKey extends ChatKey {
  id: string;
}

/** Stored rows the fold needs before it can apply some batches: see `rowsNeededBy`. */
export interface FoldSeed {
  chats: readonly ChatRow[];
  /** Every thread of the seeded chats. */
  threads: readonly ThreadRow[];
  events: readonly EventRow[];
}

/** Rows to upsert, each once (the last state the fold reached); chat users to insert if absent. */
export interface FoldedRows {
  chats: ChatRow[];
  threads: ThreadRow[];
  events: EventRow[];
  chatUsers: ChatUserRow[];
}

export type FoldOutcome = 'applied' | 'skipped' | 'gap';

/**
 * The projection writer's fold (`projectBatch`, with the same checkpoint rules: a batch at or
 * below the chat's version is skipped, one beyond the next is a gap) over many chats at once, in
 * memory, for a bulk writer: it applies batches in stream order and hands over the rows they
 * changed, each once, to be written in a few large statements instead of a transaction per
 * batch. What one batch reads from the tables (the chat row, the threads and events it touches)
 * the fold holds from the batches before it; what it does not hold (a chat seen before the
 * holding limit dropped it, an event written out earlier) the caller loads first (`rowsNeededBy`,
 * `seed`) from the rows it wrote.
 *
 * Chats are held up to `maxHeldChats` (least recently folded dropped first, at `takeChanges`);
 * events only until their rows are taken, as only rare batches (event property changes,
 * deletions, postbacks) read one again.
 */
export class ProjectionFold {
  readonly #maxHeldChats: number;
  readonly #chats = new Map<string, HeldChat>();
  readonly #events = new Map<string, EventRow>();
  readonly #changedChats = new Set<string>();
  readonly #changedThreads = new Map<string, ThreadRow>();
  readonly #changedEvents = new Map<string, EventRow>();
  readonly #newChatUsers = new Map<string, ChatUserRow>();

  constructor(options: { maxHeldChats?: number | undefined } = {}) {
    this.#maxHeldChats = options.maxHeldChats ?? 50_000;
  }

  /**
   * The stored rows `batches` need that the fold does not hold: the chats it does not hold
   * (unless the chat starts among them, at version 1) and the events they change.
   */
  rowsNeededBy(batches: readonly FoldBatch[]): { chats: ChatKey[]; events: EventKey[] } {
    const chats = new Map<string, ChatKey>();
    const starting = new Set<string>();
    const events = new Map<string, EventKey>();
    for (const batch of batches) {
      const key = chatKey(batch);
      if (batch.version === 1) starting.add(key);
      // A chat that starts among them has nothing stored.
      if (starting.has(key)) continue;
      if (!this.#chats.has(key)) chats.set(key, chatOf(batch));
      for (const id of eventsTouchedBy(batch.events)) {
        const event = eventKey(key, id);
        if (!this.#events.has(event)) events.set(event, { ...chatOf(batch), id });
      }
    }
    return { chats: [...chats.values()], events: [...events.values()] };
  }

  /** Rows read back from the store (see `rowsNeededBy`); rows the fold holds already win. */
  seed(rows: FoldSeed): void {
    for (const chat of rows.chats) {
      const key = chatKey({ organizationId: chat.organizationId, chatId: chat.id });
      if (!this.#chats.has(key)) this.#chats.set(key, { chat, threads: new Map() });
    }
    for (const thread of rows.threads) {
      const held = this.#chats.get(chatKey(thread));
      if (held && !held.threads.has(thread.id)) held.threads.set(thread.id, thread);
    }
    for (const event of rows.events) {
      const key = eventKey(chatKey(event), event.id);
      if (!this.#events.has(key)) this.#events.set(key, event);
    }
  }

  /** Folds one batch, as `applyBatch` would apply it to the rows the fold holds. */
  apply(batch: FoldBatch): FoldOutcome {
    const key = chatKey(batch);
    const held = this.#chats.get(key);
    const stored = held?.chat.version ?? 0;
    if (batch.version <= stored) return 'skipped';
    if (batch.version !== stored + 1) return 'gap';
    const threads = threadsTouchedBy(batch.events).flatMap((id) => held?.threads.get(id) ?? []);
    const events = eventsTouchedBy(batch.events).flatMap(
      (id) => this.#events.get(eventKey(key, id)) ?? [],
    );
    const changes = projectBatch(
      { chat: held?.chat, threads, events },
      batch.version,
      batch.events,
    );
    // As the writer: a batch that yields no chat (corrupt stream) writes nothing.
    if (!changes) return 'skipped';
    const listed = new Set(held?.chat.users.map((user) => user.id));
    const chat = held ?? { chat: changes.chat, threads: new Map<string, ThreadRow>() };
    chat.chat = changes.chat;
    // Most recently folded last: the holding limit drops from the front.
    this.#chats.delete(key);
    this.#chats.set(key, chat);
    this.#changedChats.add(key);
    for (const thread of changes.threads) {
      chat.threads.set(thread.id, thread);
      this.#changedThreads.set(`${key} ${thread.id}`, thread);
    }
    for (const event of changes.events) {
      const id = eventKey(key, event.id);
      this.#events.set(id, event);
      this.#changedEvents.set(id, event);
    }
    for (const user of changes.chat.users) {
      const id = `${key} ${user.id}`;
      // The writer inserts users the chat row did not list before, and keeps the first row.
      if (listed.has(user.id) || this.#newChatUsers.has(id)) continue;
      this.#newChatUsers.set(id, { ...chatOf(batch), userId: user.id, userType: user.type });
    }
    return 'applied';
  }

  /** The rows changed since the last call; forgets held events and chats beyond the limit. */
  takeChanges(): FoldedRows {
    const rows: FoldedRows = {
      chats: [...this.#changedChats].map((key) => this.#chats.get(key)!.chat),
      threads: [...this.#changedThreads.values()],
      events: [...this.#changedEvents.values()],
      chatUsers: [...this.#newChatUsers.values()],
    };
    this.#changedChats.clear();
    this.#changedThreads.clear();
    this.#changedEvents.clear();
    this.#newChatUsers.clear();
    this.#events.clear();
    for (const key of this.#chats.keys()) {
      if (this.#chats.size <= this.#maxHeldChats) break;
      this.#chats.delete(key);
    }
    return rows;
  }
}

interface HeldChat {
  chat: ChatRow;
  threads: Map<string, ThreadRow>;
}

function chatKey(chat: ChatKey): string {
  return `${chat.organizationId} ${chat.chatId}`;
}

function chatOf(batch: ChatKey): ChatKey {
  return { organizationId: batch.organizationId, chatId: batch.chatId };
}

function eventKey(chat: string, eventId: string): string {
  return `${chat} ${eventId}`;
}
