import { createLifecycle, createLogger, startTracing } from '@threadline/runtime';
import { loadGatewayConfig } from './config.ts';
import { startGateway } from './gateway.ts';

// Composition root: the only place that reads the environment and owns the process.
const config = loadGatewayConfig(process.env);
const logger = createLogger('gateway', config.logLevel);
// Before anything starts a span; stopped last, so the spans of the shutdown are sent too.
const tracing = startTracing('gateway', process.env, logger);
const lifecycle = createLifecycle(logger, { graceMs: config.shutdownGraceMs * 3 });
lifecycle.onStop('tracing', () => tracing.shutdown());

try {
  const gateway = await startGateway(config, { logger });
  lifecycle.onStop('gateway', () => gateway.close());
} catch (error) {
  logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
}
