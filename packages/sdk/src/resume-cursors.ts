import {
  type PushPosition,
  pushPositionOf,
  type ResumeCursor,
  type ResumeOutcome,
} from '@threadline/protocol';

/**
 * Threadline's gap-free resume, client side: the position of the last replayable push received
 * per chat, kept across connections. Give it to `RtmClient.connect({ resume })`; its `login`
 * then asks for what each chat missed, and the gateway replays it before live pushes go on.
 */
export class ResumeCursors {
  private readonly cursors = new Map<string, ResumeCursor>();

  /** Moves the chat's cursor to a push's position; direct pushes (no index) move nothing. */
  record(payload: unknown): void {
    const position = pushPositionOf(payload);
    if (position?.index === undefined) return;
    this.advance(position);
  }

  /** The login option `resume` / the `resume_chats` payload: every chat seen so far. */
  request(): { chats: ResumeCursor[] } {
    return { chats: [...this.cursors.values()] };
  }

  /**
   * Reads a resume answer: a chat to re-list continues from the answered sequence (the caller
   * reads it again with `get_chat`); a chat not found is forgotten. Answers the chats to re-list.
   */
  settle(answer: { chats?: ResumeOutcome[] } | undefined): string[] {
    const relist: string[] = [];
    for (const outcome of answer?.chats ?? []) {
      if (outcome.status === 'not_found') this.cursors.delete(outcome.chat_id);
      if (outcome.status !== 'relist_required') continue;
      relist.push(outcome.chat_id);
      this.advance({ chat_id: outcome.chat_id, sequence: outcome.sequence });
    }
    return relist;
  }

  /** The cursor of one chat, if any push of it was received. */
  of(chatId: string): ResumeCursor | undefined {
    return this.cursors.get(chatId);
  }

  /** Only forward: a late answer or a replay must not move a cursor back (that would repeat). */
  private advance(position: PushPosition): void {
    const current = this.cursors.get(position.chat_id);
    const next: ResumeCursor = {
      chat_id: position.chat_id,
      after_sequence: position.sequence,
      ...(position.index === undefined ? {} : { after_index: position.index }),
    };
    if (current && compare(next, current) <= 0) return;
    this.cursors.set(position.chat_id, next);
  }
}

/** Orders cursors; a cursor without an index is past every push of its batch. */
function compare(a: ResumeCursor, b: ResumeCursor): number {
  if (a.after_sequence !== b.after_sequence) return a.after_sequence - b.after_sequence;
  return (a.after_index ?? Number.POSITIVE_INFINITY) - (b.after_index ?? Number.POSITIVE_INFINITY);
}
