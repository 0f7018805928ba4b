import type { Identity } from '@threadline/accounts';
import type { Subjects } from '@threadline/bus';
import { pushPositionOf, type ResumeCursor, type ResumeOutcome } from '@threadline/protocol';
import type { Logger } from '@threadline/runtime';
import type { Services } from '../../application/ports.ts';
import { type ReplayedPush, replayChats } from '../../application/push-replays.ts';
import { createPushOrder } from '../../domain/push-order.ts';
import { createResumeFilter } from '../../domain/resume-filter.ts';
import type { DeliveredPush } from '../nats/push-hub.ts';

/** The answer to a resume (login `resume`, `resume_chats`). */
export interface ResumeAnswer {
  chats: ResumeOutcome[];
}

/** A resume read from the log: its answer, and `flush`, to call right after the answer is sent. */
export interface PreparedResume {
  answer: ResumeAnswer;
  /** Sends the replayed pushes, then the live ones held meanwhile that are not among them. */
  flush(): void;
}

export interface RtmResumeDependencies {
  services: Services;
  subjects: Subjects;
  logger: Logger;
  maxBatches: number;
  /** How long a push waits for an earlier one of its chat before the gap is read from the log. */
  gapTimeoutMs: number;
}

export interface RtmResumeOutput {
  /** The logged-in user (a gap is filled as them). */
  identity(): Identity | undefined;
  /** Sends a replayed push. */
  sendReplayed(push: ReplayedPush): void;
  /** Delivers a live push from the start (it was held). */
  deliver(push: DeliveredPush): void;
  /** Sends a live push that is in order now. */
  send(push: DeliveredPush): void;
}

/**
 * One connection's continuity of chat pushes (Threadline's addition): live pushes of a chat go
 * out in the chat's order (`domain/push-order.ts`); a resume holds the chats' live pushes from
 * before the log is read (the connection is subscribed already) until the replay is out, and
 * replayed batches arriving live later are dropped (`domain/resume-filter.ts`); a push that waits
 * too long for an earlier one (its publisher died) has the gap replayed from the log. Resumes of
 * one connection run one after another.
 */
export function createRtmResume(dependencies: RtmResumeDependencies, output: RtmResumeOutput) {
  const filter = createResumeFilter<DeliveredPush>();
  const order = createPushOrder<DeliveredPush>();
  const gapTimers = new Map<string, NodeJS.Timeout>();
  let queue: Promise<unknown> = Promise.resolve();

  function replayed(chatId: string, sequence: number | undefined): void {
    if (sequence !== undefined)
      for (const push of order.skipTo(chatId, sequence)) output.send(push);
    for (const push of filter.release(chatId, sequence)) output.deliver(push);
    watchGap(chatId);
  }

  async function prepareNow(identity: Identity, requested: readonly ResumeCursor[]) {
    const cursors = [...new Map(requested.map((cursor) => [cursor.chat_id, cursor])).values()];
    filter.hold(cursors.map((cursor) => cursor.chat_id));
    let replays: Awaited<ReturnType<typeof replayChats>>;
    try {
      replays = await replayChats(dependencies, identity, cursors, dependencies.maxBatches);
    } catch (error) {
      for (const cursor of cursors) replayed(cursor.chat_id, undefined);
      throw error;
    }
    return {
      answer: { chats: replays.map((replay) => replay.outcome) },
      flush() {
        for (const { outcome, pushes } of replays) {
          for (const push of pushes) output.sendReplayed(push);
          replayed(outcome.chat_id, outcome.status === 'not_found' ? undefined : outcome.sequence);
        }
      },
    };
  }

  function prepare(identity: Identity, cursors: readonly ResumeCursor[]): Promise<PreparedResume> {
    const run = () => prepareNow(identity, cursors);
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  }

  /** A push waits for an earlier one: if it has not come in time, read the gap from the log. */
  function watchGap(chatId: string): void {
    if (gapTimers.has(chatId) || order.waitingAfter(chatId) === undefined) return;
    const timer = setTimeout(() => {
      gapTimers.delete(chatId);
      void fillGap(chatId);
    }, dependencies.gapTimeoutMs);
    gapTimers.set(chatId, timer);
  }

  async function fillGap(chatId: string): Promise<void> {
    const after = order.waitingAfter(chatId);
    const identity = output.identity();
    if (after === undefined || !identity) return;
    try {
      (await prepare(identity, [{ chat_id: chatId, after_sequence: after }])).flush();
    } catch (error) {
      // The log cannot be read now: what waits goes out rather than stall the chat.
      dependencies.logger.warn({ err: error, chatId }, 'push gap not filled');
      for (const push of order.flush(chatId)) output.send(push);
    }
  }

  return {
    /** Whether a live push goes on now (`deliver`), waits for a replay, or was replayed. */
    admit: filter.admit,
    /** The pushes to send now, in their chats' order (this one may wait for an earlier one). */
    inOrder(push: DeliveredPush): DeliveredPush[] {
      const ready = order.accept(push);
      const chatId = pushPositionOf(push.payload)?.chat_id;
      if (chatId !== undefined) watchGap(chatId);
      return ready;
    },
    /** Holds these chats' live pushes already, before the resume is prepared (login). */
    hold: filter.hold,
    clear: filter.clear,
    /** Reads the chats' missed pushes from the log; the caller answers, then flushes. */
    prepare,
    /** The connection closed. */
    stop(): void {
      for (const timer of gapTimers.values()) clearTimeout(timer);
      gapTimers.clear();
    },
  };
}

export type RtmResume = ReturnType<typeof createRtmResume>;

/** The login response with Threadline's `resume` answer, when the login asked to resume. */
export function withResumeAnswer(response: unknown, resume: ResumeAnswer | undefined): unknown {
  return resume && typeof response === 'object' && response !== null
    ? { ...response, resume }
    : response;
}
