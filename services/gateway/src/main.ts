import { createLifecycle, createLogger } from '@threadline/runtime';
import { loadGatewayConfig } from './config.ts';
import { startGateway } from './gateway.ts';

// Composition root: the only place that reads the environment and owns the process.
const config = loadGatewayConfig(process.env);
const logger = createLogger('gateway', config.logLevel);
const lifecycle = createLifecycle(logger, { graceMs: config.shutdownGraceMs * 3 });

try {
  const gateway = await startGateway(config, { logger });
  lifecycle.onStop('gateway', () => gateway.close());
} catch (error) {
  logger.fatal({ err: error }, 'gateway failed to start');
  process.exit(1);
}
