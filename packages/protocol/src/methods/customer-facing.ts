import { agentSessionMethods } from './agent-sessions.ts';
import { customerMethods } from './customers.ts';
import { fileMethods } from './files.ts';
import { widgetMethods } from './widget.ts';

/** The methods the gateway answers about customers, widgets, files and agent sessions. */
export const customerFacingMethods = {
  ...customerMethods,
  ...widgetMethods,
  ...agentSessionMethods,
  ...fileMethods,
};
