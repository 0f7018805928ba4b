import { createConfigurationMethods } from './configuration.ts';
import { createCustomerFacingMethods } from './customer-facing.ts';
import { createLegacyAgentMethods } from './legacy-agent.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { createTransferMethods } from './transfers.ts';

/**
 * Every method the gateway answers itself, gathered from one module per protocol area
 * (configuration, customer settings, sessions, files, ...). Each area exports a
 * `create…Methods(dependencies)` returning its handlers by method name.
 */
export function createLocalMethods(dependencies: LocalMethodDependencies): LocalMethods {
  return {
    ...createLegacyAgentMethods(dependencies),
    ...createCustomerFacingMethods(dependencies),
    ...createConfigurationMethods(dependencies),
    ...createTransferMethods(dependencies),
  };
}

export type { LocalMethod, LocalMethodDependencies, LocalMethods } from './local-method.ts';
