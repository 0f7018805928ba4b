import {
  findGreetingDisplay,
  type GreetingDisplay,
  type Identity,
  setGreetingDisplayState,
} from '@threadline/accounts';
import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import type { DispatchRequest } from '../dispatcher.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/**
 * The customer's answers to a greeting (spec §3, §7 item 13). Each names a display by its
 * `unique_id`, and only the caller's own displays exist for it (`greeting_not_found` otherwise).
 * Repeating an answer changes nothing more, and the push goes out again so a retried request
 * still informs every connection of the customer.
 */
export function createGreetingMethods(
  dependencies: Pick<LocalMethodDependencies, 'db' | 'pushes'>,
): LocalMethods {
  const { db, pushes } = dependencies;

  async function answer(
    request: DispatchRequest,
    caller: Identity,
    uniqueId: string,
    state: 'accepted' | 'canceled',
    greetingId?: number,
  ): Promise<void> {
    const display = await requireDisplay(caller, uniqueId);
    if (greetingId !== undefined && display.greetingId !== greetingId) throw notFound();
    const changed = await setGreetingDisplayState(db, {
      organizationId: caller.organizationId,
      customerId: caller.userId,
      uniqueId,
      state,
    });
    // Accepting a greeting the customer already closed: it is no longer displayed.
    if (!changed) throw notFound();
    pushes.toUsers(
      caller.organizationId,
      [caller.userId],
      state === 'accepted' ? 'greeting_accepted' : 'greeting_canceled',
      { unique_id: uniqueId },
      { connectionId: request.context.connectionId, requestId: request.context.requestId },
    );
  }

  async function requireDisplay(caller: Identity, uniqueId: string): Promise<GreetingDisplay> {
    const display = await findGreetingDisplay(db, caller.organizationId, caller.userId, uniqueId);
    if (!display) throw notFound();
    return display;
  }

  return {
    accept_greeting: async ({ request, identity, payload }) => {
      const body = payload as MethodPayload<'accept_greeting'>;
      await answer(request, identity!, body.unique_id, 'accepted', body.greeting_id);
      return {};
    },
    cancel_greeting: async ({ request, identity, payload }) => {
      const body = payload as MethodPayload<'cancel_greeting'>;
      await answer(request, identity!, body.unique_id, 'canceled');
      return {};
    },
    send_greeting_button_clicked: async ({ identity, payload }) => {
      const body = payload as MethodPayload<'send_greeting_button_clicked'>;
      const display = await requireDisplay(identity!, body.greeting_unique_id);
      if (!buttonIds(display.payload).includes(body.button_id)) {
        throw new ProtocolError('greeting_not_found', `Button ${body.button_id} not found`);
      }
      return {};
    },
  };
}

/** The `postback_id`s of the buttons of the rich message a display showed. */
function buttonIds(payload: Record<string, unknown>): string[] {
  const event = payload.event as { elements?: { buttons?: { postback_id?: unknown }[] }[] };
  return (event?.elements ?? []).flatMap((element) =>
    (element.buttons ?? []).map((button) => String(button.postback_id)),
  );
}

function notFound(): ProtocolError {
  return new ProtocolError('greeting_not_found', 'Greeting not found');
}
