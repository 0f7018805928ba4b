/**
 * The contracts between Threadline's services, compiled from proto/threadline/v1 by ts-proto.
 * Generated at build time (`pnpm generate`), never edited by hand.
 */

export type { ChatStoreServer } from './gen/threadline/v1/chat_store.ts';
export {
  ChatEventBatch,
  ChatStoreClient,
  ChatStoreService,
  DomainEvent,
  Notification,
} from './gen/threadline/v1/chat_store.ts';
export { Command, ErrorBody, Push, Reply, Requester } from './gen/threadline/v1/common.ts';
export { ConfigurationChange } from './gen/threadline/v1/configuration.ts';
export type { RouterServer } from './gen/threadline/v1/router.ts';
export { RouterClient, RouterService } from './gen/threadline/v1/router.ts';
export type { WebhooksServer } from './gen/threadline/v1/webhook.ts';
export { WebhooksClient, WebhooksService } from './gen/threadline/v1/webhook.ts';
