import { type ReceivedWebhook, type WebClient, withRetries } from '@threadline/sdk';
import { type BotAction, decideReply, greeting } from './replies.ts';

interface ChatEvent {
  id: string;
  type: string;
  text?: string;
  author_id?: string;
}

/**
 * What the bot does with its webhooks. Every call it makes carries an `Idempotency-Key` derived
 * from the event it answers, so a webhook delivered twice (deliveries are at least once) is
 * answered once: Threadline replays the first outcome to the repeat.
 */
export function createBot(dependencies: {
  botId: string;
  handoffGroupId: number;
  agentApi(): Promise<WebClient>;
}) {
  const { botId } = dependencies;

  async function act(chatId: string, action: BotAction, key: string): Promise<void> {
    const api = await dependencies.agentApi();
    await api.call(
      'send_event',
      { chat_id: chatId, event: { type: 'message', text: action.text } },
      { idempotencyKey: `reply-${key}` },
    );
    if (action.type !== 'hand_off') return;
    // Queued for the group when nobody there is free, rather than refused.
    await api.call(
      'transfer_chat',
      {
        id: chatId,
        target: { type: 'group', ids: [dependencies.handoffGroupId] },
        ignore_agents_availability: true,
      },
      { idempotencyKey: `hand-off-${key}` },
    );
  }

  /** The router gave the bot a chat: answer the message the customer started it with, or greet. */
  async function onAdded(chatId: string, threadId: string): Promise<void> {
    const api = await dependencies.agentApi();
    // The webhook may arrive before the chat is readable (projections trail the event log by a
    // moment): read again shortly rather than fail the delivery into its long retry backoff.
    const chat = await withRetries(() =>
      api.call('get_chat', { chat_id: chatId, thread_id: threadId }),
    );
    const events = ((chat.thread as { events?: ChatEvent[] } | undefined)?.events ?? []).filter(
      (event) => event.type === 'message' && event.author_id !== botId,
    );
    const last = events.at(-1);
    if (last?.text) await act(chatId, decideReply(last.text), last.id);
    else await act(chatId, { type: 'answer', text: greeting }, `greeting-${threadId}`);
  }

  return {
    async onWebhook({ envelope }: ReceivedWebhook): Promise<void> {
      const payload = envelope.payload;
      const chatId = String(payload.chat_id);
      if (envelope.action === 'user_added_to_chat') {
        // my_bots fires for anyone added to a chat the bot is in (another agent, say):
        // only the bot's own assignment starts a conversation.
        const user = payload.user as { id?: string } | undefined;
        if (user?.id === botId) await onAdded(chatId, String(payload.thread_id));
        return;
      }
      if (envelope.action === 'incoming_event') {
        const event = payload.event as ChatEvent;
        if (event.type === 'message' && event.text) {
          await act(chatId, decideReply(event.text), event.id);
        }
      }
    },
  };
}
