import { createLifecycle, createLogger, startTracing } from '@threadline/runtime';
import { loadConfig } from './config.ts';
import { startWebhookService } from './service.ts';

const config = loadConfig(process.env);
const logger = createLogger('webhook', config.logLevel);
// Before anything starts a span; stopped last, so the spans of the shutdown are sent too.
const tracing = startTracing('webhook', process.env, logger);
const lifecycle = createLifecycle(logger, {
  // In-flight deliveries may take the whole request timeout to settle.
  graceMs: config.delivery.timeoutMs + 10_000,
});
lifecycle.onStop('tracing', () => tracing.shutdown());

try {
  const service = await startWebhookService(config, logger);
  lifecycle.onStop('webhook', () => service.stop());
} catch (error) {
  logger.fatal({ err: error }, 'webhook service failed to start');
  process.exit(1);
}
