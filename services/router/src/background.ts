import type { Logger } from '@threadline/runtime';

/**
 * Work started by a request that need not hold up its reply (serving the queue after an agent
 * starts accepting chats). Failures are logged; housekeeping redoes what they left undone.
 * `settle` lets shutdown wait for what is under way.
 */
export function createBackgroundWork(logger: Logger) {
  const running = new Set<Promise<void>>();
  return {
    run(work: () => Promise<void>): void {
      const task = work()
        .catch((error: unknown) => logger.warn({ err: error }, 'background work failed'))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async settle(): Promise<void> {
      await Promise.all([...running]);
    },
  };
}
