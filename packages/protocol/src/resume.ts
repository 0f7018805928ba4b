import { z } from 'zod';
import { chatId } from './methods/shared.ts';

/**
 * Threadline's gap-free resume (not LiveChat's): where a push stands in its chat's log. Chat
 * pushes carry it under this payload key; LiveChat clients ignore fields they do not know.
 */
export const pushPositionKey = '_threadline';

/**
 * `sequence` is the chat's batch version (1, 2, 3 … per chat, without gaps); `index` numbers the
 * pushes one user got from that batch (0, 1 …); `previous` is the sequence of the batch that
 * gave that user their last replayable push of the chat before (0: none), so pushes can be put
 * in order and a missing one noticed. A push without `index` was sent to its recipient only (e.g.
 * the `incoming_chat` of an agent added to the chat) and is never replayed.
 */
export interface PushPosition {
  chat_id: string;
  sequence: number;
  index?: number;
  previous?: number;
}

/** The position a push payload carries, if any. */
export function pushPositionOf(payload: unknown): PushPosition | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const position = (payload as Record<string, unknown>)[pushPositionKey];
  if (typeof position !== 'object' || position === null) return undefined;
  const { chat_id: chat, sequence, index, previous } = position as Record<string, unknown>;
  if (typeof chat !== 'string' || typeof sequence !== 'number') return undefined;
  if (typeof index !== 'number') return { chat_id: chat, sequence };
  return typeof previous === 'number'
    ? { chat_id: chat, sequence, index, previous }
    : { chat_id: chat, sequence, index };
}

/**
 * A client's cursor in one chat: it received every replayable push up to `after_sequence`, or,
 * with `after_index`, up to that push of batch `after_sequence`.
 */
export const resumeCursor = z.object({
  chat_id: chatId,
  after_sequence: z.number().int().min(0),
  after_index: z.number().int().min(0).optional(),
});

export type ResumeCursor = z.infer<typeof resumeCursor>;

/** The login option and the `resume_chats` payload: at most 100 chats at a time. */
export const resumeRequest = z.object({ chats: z.array(resumeCursor).max(100) });

/**
 * What resuming one chat did. `resumed`: the pushes after the cursor up to `sequence` follow the
 * answer, then live ones. `relist_required`: the log cannot fill the gap (the cursor is older than
 * what the stream keeps, or further behind than the replay limit); re-read the chat (`get_chat`)
 * and go on from `sequence`. `not_found`: no chat the user may see (other tenants' included).
 */
export type ResumeOutcome =
  | { chat_id: string; status: 'resumed'; sequence: number }
  | { chat_id: string; status: 'relist_required'; sequence: number }
  | { chat_id: string; status: 'not_found' };
