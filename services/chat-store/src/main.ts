import { createLifecycle, createLogger, startTracing } from '@threadline/runtime';
import { startChatStore } from './chat-store.ts';
import { loadChatStoreConfig } from './config.ts';

// Composition root: the only place that reads process.env. Everything else is in chat-store.ts.
const config = loadChatStoreConfig(process.env);
const logger = createLogger('chat-store', config.logLevel);
// Before anything starts a span; stopped last, so the spans of the shutdown are sent too.
const tracing = startTracing('chat-store', process.env, logger);
const lifecycle = createLifecycle(logger);
lifecycle.onStop('tracing', () => tracing.shutdown());

try {
  const running = await startChatStore(config, logger);
  lifecycle.onStop('chat-store', () => running.stop());
} catch (error) {
  logger.fatal({ err: error }, 'chat-store failed to start');
  process.exit(1);
}
