import type { ReceivedWebhook } from '@threadline/sdk';
import type { ExternalClient } from './external-client.ts';
import type { StateFile } from './state.ts';

/**
 * Threadline → external: an agent's message in a bridged chat (an `incoming_event` webhook) is
 * sent to the chat's external user. Webhooks are delivered at least once, so the event id is the
 * dedupe key twice over: the state drops a webhook whose event was already sent, and the external
 * API gets it as `idempotency_key`, which also covers a crash between sending and recording.
 */
export function createOutbound(dependencies: { state: StateFile; external: ExternalClient }) {
  const { state } = dependencies;
  return {
    async onWebhook({ envelope }: ReceivedWebhook): Promise<void> {
      if (envelope.action !== 'incoming_event') return;
      const event = envelope.payload.event as { id: string; type: string; text?: string };
      const userId = state.userOfChat(String(envelope.payload.chat_id));
      if (!userId || event.type !== 'message' || !event.text || state.wasSent(event.id)) return;
      await dependencies.external.sendMessage({
        userId,
        text: event.text,
        idempotencyKey: event.id,
      });
      await state.markSent(event.id);
    },
  };
}
