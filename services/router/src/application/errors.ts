/**
 * Two routing decisions for one thread met in the database. The organization lock rules this
 * out; if it ever happens the batch is redelivered and finds the decision that won.
 */
export class RoutingRaceError extends Error {
  override name = 'RoutingRaceError';

  constructor(chatId: string, threadId: string) {
    super(`thread ${chatId}/${threadId} was routed concurrently`);
  }
}
