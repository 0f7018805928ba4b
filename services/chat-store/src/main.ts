import { createLifecycle, createLogger } from '@threadline/runtime';
import { startChatStore } from './chat-store.ts';
import { loadChatStoreConfig } from './config.ts';

// Composition root: the only place that reads process.env. Everything else is in chat-store.ts.
const config = loadChatStoreConfig(process.env);
const logger = createLogger('chat-store', config.logLevel);
const lifecycle = createLifecycle(logger);

try {
  const running = await startChatStore(config, logger);
  lifecycle.onStop('chat-store', () => running.stop());
} catch (error) {
  logger.fatal({ err: error }, 'chat-store failed to start');
  process.exit(1);
}
