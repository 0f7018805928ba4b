import { createConfigurationAccessMethods } from './configuration-access.ts';
import { createConfigurationAgentMethods } from './configuration-agents.ts';
import { createConfigurationBotTemplateMethods } from './configuration-bot-templates.ts';
import { createConfigurationBotMethods } from './configuration-bots.ts';
import { createConfigurationGreetingMethods } from './configuration-greetings.ts';
import { createConfigurationGroupMethods } from './configuration-groups.ts';
import { createConfigurationOtherMethods } from './configuration-other.ts';
import { createConfigurationPropertyMethods } from './configuration-properties.ts';
import { createCustomerErasureMethods } from './customer-erasure.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/**
 * The Configuration API methods the gateway answers from the accounts schema (webhook methods go
 * to the webhook service; `batch_*` are run by `application/batches.ts`).
 */
export function createConfigurationMethods(dependencies: LocalMethodDependencies): LocalMethods {
  return {
    ...createConfigurationAgentMethods(dependencies),
    ...createConfigurationBotMethods(dependencies),
    ...createConfigurationBotTemplateMethods(dependencies),
    ...createConfigurationGroupMethods(dependencies),
    ...createConfigurationPropertyMethods(dependencies),
    ...createConfigurationAccessMethods(dependencies),
    ...createConfigurationGreetingMethods(dependencies),
    ...createConfigurationOtherMethods(dependencies),
    ...createCustomerErasureMethods(dependencies),
  };
}
