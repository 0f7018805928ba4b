import { type PushPosition, pushPositionOf } from '@threadline/protocol';

interface ChatOrder<P> {
  /** The latest batch of the chat whose pushes went out on this connection. */
  last: number;
  /** Pushes waiting for an earlier batch, in (sequence, index) order. */
  pending: { push: P; position: Required<PushPosition> }[];
}

/**
 * Puts one connection's pushes of each chat back in the chats' order. chat-store replicas publish
 * independently, so two batches appended back to back may arrive the other way round; a push
 * names the recipient's previous replayable batch (`previous`), and one whose previous batch has
 * not gone out yet waits for it. A client's cursor (the last position it got) then never skips a
 * push still on its way. Pushes without a full position, and late ones, go out at once.
 */
export function createPushOrder<P extends { payload: unknown }>() {
  const chats = new Map<string, ChatOrder<P>>();

  function drain(chat: ChatOrder<P>): P[] {
    const ready: P[] = [];
    for (let next = chat.pending[0]; next; next = chat.pending[0]) {
      const { position } = next;
      if (position.sequence > chat.last && position.previous > chat.last) break;
      chat.pending.shift();
      chat.last = Math.max(chat.last, position.sequence);
      ready.push(next.push);
    }
    return ready;
  }

  return {
    /** The pushes to send now, in order: this one and those it was the missing link for. */
    accept(push: P): P[] {
      const position = fullPosition(push.payload);
      if (!position) return [push];
      const chat = chats.get(position.chat_id);
      if (!chat) {
        // The connection's first push of the chat: nothing earlier is expected of it.
        chats.set(position.chat_id, { last: position.sequence, pending: [] });
        return [push];
      }
      chat.pending.push({ push, position });
      chat.pending.sort((a, b) => compare(a.position, b.position));
      return drain(chat);
    },
    /** Whether a push of the chat waits for an earlier batch, and since which batch. */
    waitingAfter(chatId: string): number | undefined {
      const chat = chats.get(chatId);
      return chat && chat.pending.length > 0 ? chat.last : undefined;
    },
    /**
     * Everything up to `sequence` went out (a replay): waiting pushes at or below it are dropped,
     * and those that can follow now are answered.
     */
    skipTo(chatId: string, sequence: number): P[] {
      const chat = chats.get(chatId) ?? { last: 0, pending: [] };
      chats.set(chatId, chat);
      chat.last = Math.max(chat.last, sequence);
      chat.pending = chat.pending.filter(({ position }) => position.sequence > chat.last);
      return drain(chat);
    },
    /** Gives up waiting (the missing push cannot be had): the waiting ones go, in order. */
    flush(chatId: string): P[] {
      const chat = chats.get(chatId);
      if (!chat) return [];
      const waiting = chat.pending.splice(0);
      for (const { position } of waiting) chat.last = Math.max(chat.last, position.sequence);
      return waiting.map(({ push }) => push);
    },
  };
}

export type PushOrder<P extends { payload: unknown }> = ReturnType<typeof createPushOrder<P>>;

function fullPosition(payload: unknown): Required<PushPosition> | undefined {
  const position = pushPositionOf(payload);
  if (position?.index === undefined || position.previous === undefined) return undefined;
  return position as Required<PushPosition>;
}

function compare(a: Required<PushPosition>, b: Required<PushPosition>): number {
  return a.sequence - b.sequence || a.index - b.index;
}
