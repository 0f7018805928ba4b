import { ConfigError, createLifecycle, createLogger, startTracing } from '@threadline/runtime';
import { loadRouterConfig, type RouterConfig } from './config.ts';
import { startRouter } from './router.ts';

let config: Readonly<RouterConfig>;
try {
  config = loadRouterConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`router: ${error.message}\n`);
  process.exit(1);
}
const logger = createLogger('router', config.logLevel);
// Before anything starts a span; stopped last, so the spans of the shutdown are sent too.
const tracing = startTracing('router', process.env, logger);
const lifecycle = createLifecycle(logger);
lifecycle.onStop('tracing', () => tracing.shutdown());
try {
  const router = await startRouter(config, logger);
  lifecycle.onStop('router', () => router.stop());
} catch (error) {
  logger.fatal({ err: error }, 'router failed to start');
  process.exit(1);
}
