import type { Logger } from 'pino';

type Stopper = () => Promise<void> | void;

/**
 * Graceful shutdown: on SIGTERM/SIGINT, run the registered stoppers in reverse order of
 * registration (stop taking work first, close connections last), then exit.
 */
export function createLifecycle(logger: Logger, options: { graceMs?: number } = {}) {
  const stoppers: { name: string; stop: Stopper }[] = [];
  let stopping: Promise<void> | undefined;

  async function shutdown(reason: string): Promise<void> {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error('shutdown took too long; exiting');
        process.exit(1);
      }, options.graceMs ?? 10_000);
      timer.unref();
      for (const { name, stop } of [...stoppers].reverse()) {
        try {
          await stop();
        } catch (error) {
          logger.warn({ err: error, component: name }, 'error while stopping');
        }
      }
      logger.info('stopped');
    })();
    return stopping;
  }

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => void shutdown(signal).then(() => process.exit(0)));
  }

  return {
    onStop(name: string, stop: Stopper) {
      stoppers.push({ name, stop });
    },
    shutdown,
    get isStopping() {
      return stopping !== undefined;
    },
  };
}

export type Lifecycle = ReturnType<typeof createLifecycle>;
