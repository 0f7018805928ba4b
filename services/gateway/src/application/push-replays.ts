import type { Identity } from '@threadline/accounts';
import type { Subjects } from '@threadline/bus';
import { ProtocolError, type ResumeCursor, type ResumeOutcome } from '@threadline/protocol';
import { toRequester } from './commands.ts';
import { callService } from './methods/service-calls.ts';
import type { Services } from './ports.ts';

/** A push as chat-store replays it. */
export interface ReplayedPush {
  action: string;
  payload: unknown;
}

/** One chat's answer to a resume, and the pushes to send right after it. */
export interface ChatReplay {
  outcome: ResumeOutcome;
  pushes: ReplayedPush[];
}

type StoreReplay =
  | { status: 'resumed'; sequence: number; pushes: ReplayedPush[] }
  | { status: 'relist_required'; sequence: number };

/**
 * Asks chat-store, as the user, for the pushes of each chat after its cursor (`replay_pushes`,
 * docs/internal-contracts.md), at most `maxBatches` batches per chat. A chat the user may not
 * see is answered `not_found`, whether it exists or not.
 */
export async function replayChats(
  dependencies: { services: Services; subjects: Subjects },
  identity: Identity,
  cursors: readonly ResumeCursor[],
  maxBatches: number,
): Promise<ChatReplay[]> {
  const requester = toRequester(identity, {});
  return Promise.all(
    cursors.map(async (cursor): Promise<ChatReplay> => {
      try {
        const replay = (await callService(
          dependencies,
          dependencies.subjects.chatStoreQuery,
          'replay_pushes',
          { ...cursor, limit: maxBatches },
          requester,
        )) as StoreReplay;
        const { chat_id } = cursor;
        if (replay?.status !== 'resumed' && replay?.status !== 'relist_required') {
          throw new ProtocolError('internal', 'chat-store answered replay_pushes without a status');
        }
        return replay.status === 'resumed'
          ? {
              outcome: { chat_id, status: 'resumed', sequence: replay.sequence },
              pushes: replay.pushes,
            }
          : {
              outcome: { chat_id, status: 'relist_required', sequence: replay.sequence },
              pushes: [],
            };
      } catch (error) {
        if (error instanceof ProtocolError && error.type === 'not_found') {
          return { outcome: { chat_id: cursor.chat_id, status: 'not_found' }, pushes: [] };
        }
        throw error;
      }
    }),
  );
}
