import type { Push, Requester } from '@threadline/contracts';
import type { ChatDomainEvent, ChatNotification } from '../domain/chat.types.ts';

/** One command's append to a chat's stream (the contract's ChatEventBatch, decoded). */
export interface ChatBatch {
  organizationId: string;
  chatId: string;
  /** Aggregate version after this batch: 1, 2, 3 … per chat. */
  version: number;
  commandId: string;
  requester: Requester | undefined;
  events: ChatDomainEvent[];
  notifications: ChatNotification[];
  /** The chat's customers before the batch, for sealing their data (not stored). */
  customerIds?: string[];
}

export interface StoredBatch {
  /** Stream sequence of the message holding the batch. */
  sequence: number;
  batch: ChatBatch;
}

/**
 * `conflict`: someone appended to the chat since `expectedSequence` (reload and decide again).
 * `duplicate`: a batch with this command id is already stored (at `sequence`): the command ran.
 */
export type AppendResult =
  | { outcome: 'appended'; sequence: number }
  | { outcome: 'duplicate'; sequence: number }
  | { outcome: 'conflict' };

/** A customer's claim on their one chat (no Messaging Mode): which chat, and which command won. */
export interface CustomerClaim {
  chatId: string;
  commandId: string;
}

export interface EventLog {
  append(batch: ChatBatch, expectedSequence: number): Promise<AppendResult>;
  /** The chat's batches stored after `afterSequence`, oldest first. */
  readChat(organizationId: string, chatId: string, afterSequence: number): Promise<StoredBatch[]>;
  readAt(sequence: number): Promise<ChatBatch | undefined>;
  /** Claims the customer's chat if unclaimed; answers whichever claim holds. */
  claimCustomerChat(
    organizationId: string,
    customerId: string,
    claim: CustomerClaim,
  ): Promise<CustomerClaim>;
}

/** `gap`: an earlier batch of the chat is not applied yet; try again later. */
export type ProjectionOutcome = 'applied' | 'skipped' | 'gap';

export interface ProjectionStore {
  apply(batch: ChatBatch): Promise<ProjectionOutcome>;
  /**
   * The chat's version as projected (0 when it is not): a batch at or below it is applied. Read
   * without locking, so it may lag, never lead.
   */
  projectedVersion(organizationId: string, chatId: string): Promise<number>;
}

export interface PushPublisher {
  publish(organizationId: string, userId: string, push: Push): void;
}

export interface CommandMetrics {
  commandFinished(action: string, outcome: string): void;
  appendConflict(action: string): void;
}

/** Where a thread waiting for an agent stands in the router's queue (spec §5.2 `thread.queue`). */
export interface ThreadQueue {
  position: number;
  wait_time: number;
  queued_at: string;
}

/**
 * The router's queue, asked when a view shows active threads nobody carries. Answers what it
 * can: a thread missing from the answer is not waiting (or the router did not answer in time).
 */
export interface QueuePlaces {
  of(
    organizationId: string,
    threads: readonly { chatId: string; threadId: string }[],
  ): Promise<Map<string, ThreadQueue>>;
}

/**
 * Seals customers' personal data in batches before they are stored, and opens it when they are
 * read back (docs/erasure.md). Opening an erased customer's data yields placeholders.
 */
export interface BatchSealer {
  seal(batch: ChatBatch): Promise<ChatBatch>;
  open(batch: ChatBatch): Promise<ChatBatch>;
  /** `open` over many batches at once, in their order. */
  openAll(batches: readonly ChatBatch[]): Promise<ChatBatch[]>;
  /** True once the customer is erased: nothing they send is accepted any more. */
  isErased(organizationId: string, customerId: string): Promise<boolean>;
}
