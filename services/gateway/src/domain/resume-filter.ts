import { pushPositionOf } from '@threadline/protocol';

/** What to do with a live push: send it, keep it until its chat's replay is out, or drop it. */
export type Admission = 'deliver' | 'held' | 'drop';

/**
 * Joins a chat's replay and its live pushes on one connection. While a chat is resumed its live
 * pushes are held (the subscription was in place before the log was read, so none is missed);
 * once the replay up to `sequence` is sent they are released, and from then on every replayable
 * push of a batch the replay covered is dropped, whenever it arrives (no duplicate). Pushes
 * without a position (signals, the gateway's own) and direct pushes (no `index`, never replayed)
 * always go through.
 */
export function createResumeFilter<P extends { payload: unknown }>() {
  const held = new Map<string, P[]>();
  const replayedUpTo = new Map<string, number>();

  function admit(push: P): Admission {
    const position = pushPositionOf(push.payload);
    if (!position) return 'deliver';
    const holding = held.get(position.chat_id);
    if (holding) {
      holding.push(push);
      return 'held';
    }
    if (position.index === undefined) return 'deliver';
    return position.sequence <= (replayedUpTo.get(position.chat_id) ?? 0) ? 'drop' : 'deliver';
  }

  return {
    admit,
    /** Starts holding the live pushes of these chats. */
    hold(chatIds: readonly string[]): void {
      for (const chatId of chatIds) if (!held.has(chatId)) held.set(chatId, []);
    },
    /**
     * Ends holding a chat whose replay up to `sequence` was sent (undefined: nothing was
     * replayed); answers the held pushes still to deliver, in the order they came.
     */
    release(chatId: string, sequence: number | undefined): P[] {
      const holding = held.get(chatId) ?? [];
      held.delete(chatId);
      if (sequence !== undefined) {
        replayedUpTo.set(chatId, Math.max(sequence, replayedUpTo.get(chatId) ?? 0));
      }
      return holding.filter((push) => admit(push) === 'deliver');
    },
    /** Holds nothing any more (a failed login). */
    clear(): void {
      held.clear();
    },
  };
}

export type ResumeFilter<P extends { payload: unknown }> = ReturnType<typeof createResumeFilter<P>>;
