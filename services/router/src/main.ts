import { ConfigError, createLifecycle, createLogger } from '@threadline/runtime';
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
const lifecycle = createLifecycle(logger);
try {
  const router = await startRouter(config, logger);
  lifecycle.onStop('router', () => router.stop());
} catch (error) {
  logger.fatal({ err: error }, 'router failed to start');
  process.exit(1);
}
