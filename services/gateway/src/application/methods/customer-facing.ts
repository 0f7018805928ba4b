import { createAgentSessionMethods } from './agent-sessions.ts';
import { createCustomerMethods } from './customers.ts';
import { createFileMethods } from './files.ts';
import { createGreetingMethods } from './greetings.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { createWidgetMethods } from './widget.ts';

/** Customers, the widget's methods, greetings, agent sessions and files (one module per area). */
export function createCustomerFacingMethods(dependencies: LocalMethodDependencies): LocalMethods {
  return {
    ...createCustomerMethods(dependencies),
    ...createWidgetMethods(dependencies),
    ...createGreetingMethods(dependencies),
    ...createAgentSessionMethods(dependencies),
    ...createFileMethods(dependencies),
  };
}
