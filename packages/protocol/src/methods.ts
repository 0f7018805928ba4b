import type { z } from 'zod';
import { chatActivityMethods } from './methods/chat-activity.ts';
import { chatMethods } from './methods/chats.ts';
import { configurationMethods } from './methods/configuration.ts';
import { customerFacingMethods } from './methods/customer-facing.ts';
import { eventMethods } from './methods/events.ts';
import { legacyAgentMethods } from './methods/legacy-agent.ts';
import { routingMethods } from './methods/routing.ts';
import { sessionMethods } from './methods/sessions.ts';
import { transferMethods } from './methods/transfers.ts';
import { webhookMethods } from './methods/webhooks.ts';

export { type EventRequest, eventSchema } from './methods/shared.ts';

/** Every protocol method Threadline knows, by area. A method missing here does not exist. */
export const methodDefinitions = {
  ...sessionMethods,
  ...chatMethods,
  ...chatActivityMethods,
  ...eventMethods,
  ...legacyAgentMethods,
  ...routingMethods,
  ...transferMethods,
  ...webhookMethods,
  ...customerFacingMethods,
  ...configurationMethods,
};

export type MethodName = keyof typeof methodDefinitions;

/** Request payload schemas, one per method, shared by every transport. */
export const methodSchemas = Object.fromEntries(
  Object.entries(methodDefinitions).map(([name, definition]) => [name, definition.schema]),
) as { [M in MethodName]: (typeof methodDefinitions)[M]['schema'] };

export type MethodPayload<M extends MethodName> = z.infer<(typeof methodDefinitions)[M]['schema']>;
