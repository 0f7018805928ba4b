export {
  type ChatStore,
  type ChatStoreDeps,
  createChatStore,
  queueGroup,
  type RunningChatStore,
  schema,
  startChatStore,
} from './chat-store.ts';
export { type ChatStoreConfig, configSchema, loadChatStoreConfig } from './config.ts';
export { useResumeChatMessage } from './domain/chat.decide.ts';
export type { ChatDomainEvent, ChatNotification } from './domain/chat.types.ts';
