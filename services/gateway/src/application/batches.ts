import { type MethodName, ProtocolError, parsePayload } from '@threadline/protocol';
import type { Logger } from '@threadline/runtime';
import type { Dispatch } from './dispatcher.ts';

/** LiveChat's Configuration API batch methods and the single method each runs per request. */
export const batchMethods: Readonly<Record<string, MethodName>> = {
  batch_create_agents: 'create_agent',
  batch_update_agents: 'update_agent',
  batch_delete_agents: 'delete_agent',
  batch_suspend_agents: 'suspend_agent',
  batch_unsuspend_agents: 'unsuspend_agent',
  batch_approve_agents: 'approve_agent',
  batch_create_bots: 'create_bot',
  batch_update_bots: 'update_bot',
  batch_delete_bots: 'delete_bot',
};

/**
 * `batch_*`: `{requests:[…]}` → `{responses:[…]}`, one response or error envelope per request, in
 * request order. Each request goes the single method's whole way through the dispatcher
 * (validation, roles, owner client, rate limit), so one bad item fails alone. LiveChat runs the
 * items concurrently with no order guarantee; Threadline runs them one after another, which is
 * one of those orders and keeps a batch from taking the whole connection pool.
 */
export function withBatches(dispatch: Dispatch, logger: Logger): Dispatch {
  return async (request) => {
    const single = request.api === 'configuration' ? batchMethods[request.action] : undefined;
    if (!single || !Object.hasOwn(batchMethods, request.action)) return dispatch(request);
    if (!request.identity)
      throw new ProtocolError('authentication', 'Missing or invalid access token');
    const { requests } = parsePayload('batch_create_agents', request.payload);
    const responses: unknown[] = [];
    for (const [index, payload] of requests.entries()) {
      // A repeated batch repeats each item under its own command id.
      const commandId = request.commandId && `${request.commandId}.${index}`;
      try {
        responses.push((await dispatch({ ...request, action: single, payload, commandId })) ?? {});
      } catch (error) {
        if (!(error instanceof ProtocolError)) {
          logger.error({ err: error, method: single }, 'batch request failed');
        }
        const failure =
          error instanceof ProtocolError
            ? error
            : new ProtocolError('internal', 'Internal server error');
        responses.push(failure.toEnvelope());
      }
    }
    return { responses };
  };
}
