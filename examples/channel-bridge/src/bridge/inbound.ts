import { ThreadlineApiError } from '@threadline/sdk';
import type { CustomerApis } from './customers.ts';
import type { ExternalClient, ExternalUpdate } from './external-client.ts';
import type { StateFile } from './state.ts';

/**
 * External → Threadline: each external user is a customer with one continuous chat, and each of
 * their messages becomes that customer's message in it.
 *
 * Exactly once, across crashes: the state records an update as done (`nextUpdateId`) only after
 * Threadline has it, so a crash in between reads the update again; and every call for an update
 * carries an `Idempotency-Key` made of the external message id, which Threadline answers with the
 * first outcome instead of running twice (same customer, within 24 hours). `custom_id` carries the
 * external id too, for whoever reads the chat. Threadline does not dedupe by `custom_id` (nor does
 * LiveChat): the key is what makes a repeat harmless.
 */
export function createInbound(dependencies: {
  state: StateFile;
  customers: CustomerApis;
  external: ExternalClient;
}) {
  const { state, customers } = dependencies;

  async function relay(update: ExternalUpdate): Promise<void> {
    const { message } = update;
    const link = state.state.links[message.user.id] ?? {
      customerId: await customers.createCustomer(),
    };
    if (!state.state.links[message.user.id]) {
      state.state.links[message.user.id] = link;
      await state.save();
    }
    const api = await customers.as(link.customerId);
    const event = { type: 'message', text: message.text, custom_id: message.message_id };
    // The key names the method as well: Threadline refuses a key reused for another request.
    // Which method a message needs depends on the state when it is first relayed, so the message
    // that started the chat is recognised on a repeat rather than sent again with send_event.
    if (link.startedBy === message.message_id) return;
    if (!link.chatId) {
      const started = await api.call(
        'start_chat',
        { chat: { thread: { events: [event] } }, continuous: true },
        { idempotencyKey: `start-${message.message_id}` },
      );
      link.chatId = String(started.chat_id);
      link.startedBy = message.message_id;
      await state.save();
      return;
    }
    try {
      await api.call(
        'send_event',
        { chat_id: link.chatId, event },
        { idempotencyKey: `send-${message.message_id}` },
      );
    } catch (error) {
      if (!(error instanceof ThreadlineApiError) || error.type !== 'chat_inactive') throw error;
      // The last thread was closed: the same chat goes on with a new one.
      await api.call(
        'resume_chat',
        { chat: { id: link.chatId, thread: { events: [event] } }, continuous: true },
        { idempotencyKey: `resume-${message.message_id}` },
      );
    }
  }

  return {
    /** Reads and relays updates until `signal` aborts; a failed update is tried again. */
    async run(signal: AbortSignal, onError: (error: unknown) => void): Promise<void> {
      while (!signal.aborted) {
        try {
          const updates = await dependencies.external.updates(state.state.nextUpdateId, 10, signal);
          for (const update of updates) {
            if (signal.aborted) return;
            await relay(update);
            state.state.nextUpdateId = update.update_id + 1;
            await state.save();
          }
        } catch (error) {
          if (signal.aborted) return;
          onError(error);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    },
  };
}
