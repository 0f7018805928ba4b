import type { Command } from '@threadline/contracts';
import { ProtocolError, type ResumeCursor, resumeCursor } from '@threadline/protocol';
import { z } from 'zod';
import { canSeeChat } from '../domain/chat.access.ts';
import { fold, initialState } from '../domain/chat.evolve.ts';
import type { ChatState } from '../domain/chat.types.ts';
import { toActor } from './command-parsing.ts';
import type { EventLog, StoredBatch } from './ports.ts';
import { pushesFor, withPushed } from './pushes.ts';

/** The most batches one replay may span; the gateway asks for less (`RTM_RESUME_MAX_BATCHES`). */
const maxLimit = 10_000;

const replayRequest = resumeCursor.extend({ limit: z.number().int().min(1).max(maxLimit) });

/** A push as replayed: what its recipient got live, without the origin (no request is pending). */
export interface ReplayedPush {
  action: string;
  payload: unknown;
}

export type PushReplay =
  | { status: 'resumed'; sequence: number; pushes: ReplayedPush[] }
  | { status: 'relist_required'; sequence: number };

/**
 * `replay_pushes` (internal, asked by the gateway as the reconnecting user): the pushes that user
 * got from the chat's batches after the cursor, rebuilt from the stored batches by the same code
 * that pushed them live (`pushesFor`, on the aggregate folded up to each batch). A chat the user
 * may not see is `not_found`, as for every read.
 */
export function createPushReplay(eventLog: EventLog) {
  return async function replayPushes(command: Command): Promise<PushReplay> {
    const actor = toActor(command.requester);
    const parsed = replayRequest.safeParse(JSON.parse(command.payloadJson || '{}'));
    if (!parsed.success) throw new ProtocolError('validation', parsed.error.message);
    const request = parsed.data;
    const stored = await eventLog.readChat(actor.organizationId, request.chat_id, 0);
    const latest = fold(stored.flatMap(({ batch }) => batch.events));
    if (latest.status !== 'existing' || !canSeeChat(actor, latest)) {
      throw new ProtocolError('not_found', 'Chat not found');
    }
    const sequence = stored.at(-1)?.batch.version ?? 0;
    if (!isReplayable(stored, request, sequence)) return { status: 'relist_required', sequence };
    return { status: 'resumed', sequence, pushes: replay(stored, request, actor.id) };
  };
}

/**
 * The stream must hold the chat whole (its versions 1 … n, without holes: the aggregate is folded
 * from the start), the cursor must not be ahead of it, and the batches to replay must not exceed
 * the limit.
 */
function isReplayable(
  stored: readonly StoredBatch[],
  request: ResumeCursor & { limit: number },
  sequence: number,
): boolean {
  const whole = stored.every(({ batch }, position) => batch.version === position + 1);
  return (
    whole &&
    request.after_sequence <= sequence &&
    sequence - request.after_sequence <= request.limit
  );
}

function replay(stored: readonly StoredBatch[], cursor: ResumeCursor, userId: string) {
  const pushes: ReplayedPush[] = [];
  let state: ChatState = initialState();
  let lastPushed: ReadonlyMap<string, number> = new Map();
  for (const { batch } of stored) {
    const before = state;
    state = fold(batch.events, before);
    const previous = lastPushed;
    lastPushed = withPushed(lastPushed, batch.version, batch.notifications, [before, state]);
    if (batch.version < cursor.after_sequence) continue;
    if (batch.version === cursor.after_sequence && cursor.after_index === undefined) continue;
    const received = pushesFor(batch, batch.notifications, [before, state], previous).filter(
      (addressed) => addressed.userId === userId,
    );
    // A cursor inside a batch: its pushes up to `after_index` were received.
    const from = batch.version === cursor.after_sequence ? (cursor.after_index ?? 0) + 1 : 0;
    for (const { push } of received.slice(from)) {
      pushes.push({ action: push.action, payload: JSON.parse(push.payloadJson) });
    }
  }
  return pushes;
}
