import type { Identity } from '@threadline/accounts';
import type { Subjects } from '@threadline/bus';
import type { ResumeCursor, ResumeOutcome } from '@threadline/protocol';
import type { Services } from '../../application/ports.ts';
import { type ReplayedPush, replayChats } from '../../application/push-replays.ts';
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
  maxBatches: number;
}

/**
 * One connection's gap-free resume (Threadline's addition): the chats' live pushes are held from
 * before the log is read (the connection is subscribed already) until the replay is out, and
 * replayed batches arriving live later are dropped (`domain/resume-filter.ts`). Resumes of one
 * connection run one after another.
 */
export function createRtmResume(
  dependencies: RtmResumeDependencies,
  output: { sendReplayed(push: ReplayedPush): void; deliver(push: DeliveredPush): void },
) {
  const filter = createResumeFilter<DeliveredPush>();
  let queue: Promise<unknown> = Promise.resolve();

  function release(chatId: string, sequence: number | undefined): void {
    for (const push of filter.release(chatId, sequence)) output.deliver(push);
  }

  async function prepare(identity: Identity, requested: readonly ResumeCursor[]) {
    const cursors = [...new Map(requested.map((cursor) => [cursor.chat_id, cursor])).values()];
    filter.hold(cursors.map((cursor) => cursor.chat_id));
    let replays: Awaited<ReturnType<typeof replayChats>>;
    try {
      replays = await replayChats(dependencies, identity, cursors, dependencies.maxBatches);
    } catch (error) {
      for (const cursor of cursors) release(cursor.chat_id, undefined);
      throw error;
    }
    return {
      answer: { chats: replays.map((replay) => replay.outcome) },
      flush() {
        for (const { outcome, pushes } of replays) {
          for (const push of pushes) output.sendReplayed(push);
          release(outcome.chat_id, outcome.status === 'not_found' ? undefined : outcome.sequence);
        }
      },
    };
  }

  return {
    /** Whether a live push goes out now (`deliver`), waits for a replay, or was replayed. */
    admit: filter.admit,
    /** Holds these chats' live pushes already, before the resume is prepared (login). */
    hold: filter.hold,
    clear: filter.clear,
    /** Reads the chats' missed pushes from the log; the caller answers, then flushes. */
    prepare(identity: Identity, cursors: readonly ResumeCursor[]): Promise<PreparedResume> {
      const run = () => prepare(identity, cursors);
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
  };
}

export type RtmResume = ReturnType<typeof createRtmResume>;
