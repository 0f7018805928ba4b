import { createLifecycle, createLogger } from '@threadline/runtime';
import { loadConfig } from './config.ts';
import { startWebhookService } from './service.ts';

const config = loadConfig(process.env);
const logger = createLogger('webhook', config.logLevel);
const lifecycle = createLifecycle(logger, {
  // In-flight deliveries may take the whole request timeout to settle.
  graceMs: config.delivery.timeoutMs + 10_000,
});

try {
  const service = await startWebhookService(config, logger);
  lifecycle.onStop('webhook', () => service.stop());
} catch (error) {
  logger.fatal({ err: error }, 'webhook service failed to start');
  process.exit(1);
}
