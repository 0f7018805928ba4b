import { configurationAccessMethods } from './configuration-access.ts';
import { configurationAgentMethods } from './configuration-agents.ts';
import { configurationBotTemplateMethods } from './configuration-bot-templates.ts';
import { configurationBotMethods } from './configuration-bots.ts';
import { configurationErasureMethods } from './configuration-erasure.ts';
import { configurationGreetingMethods } from './configuration-greetings.ts';
import { configurationGroupMethods } from './configuration-groups.ts';
import { configurationOtherMethods } from './configuration-other.ts';
import { configurationPropertyMethods } from './configuration-properties.ts';

/**
 * The Configuration API methods the gateway answers from the accounts schema (webhook methods
 * are the webhook service's, in `webhooks.ts`).
 */
export const configurationMethods = {
  ...configurationAgentMethods,
  ...configurationBotMethods,
  ...configurationBotTemplateMethods,
  ...configurationGroupMethods,
  ...configurationPropertyMethods,
  ...configurationAccessMethods,
  ...configurationGreetingMethods,
  ...configurationOtherMethods,
  ...configurationErasureMethods,
};
