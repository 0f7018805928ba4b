import { createAgentSessionMethods } from './agent-sessions.ts';
import { createCustomerMethods } from './customers.ts';
import { createFileMethods } from './files.ts';
import { createGreetingMethods } from './greetings.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';
import { createResumeMethods } from './resume.ts';
import { createWidgetMethods } from './widget.ts';

/** Customers, the widget's methods, greetings, agent sessions, files and resume (one module per
 * area). */
export function createCustomerFacingMethods(dependencies: LocalMethodDependencies): LocalMethods {
  return {
    ...createCustomerMethods(dependencies),
    ...createWidgetMethods(dependencies),
    ...createGreetingMethods(dependencies),
    ...createAgentSessionMethods(dependencies),
    ...createFileMethods(dependencies),
    ...createResumeMethods(dependencies),
  };
}
