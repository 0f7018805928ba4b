import { createKeyedQueue } from './keyed-queue.ts';

/**
 * Runs up to `limit` tasks at once, tasks of one key in the order submitted: a replay folds many
 * chats side by side while each chat's batches still come one after another. `submit` waits
 * only for room; the first failure is thrown by a later `submit` or by `drain`.
 */
export function createBoundedKeyedRunner(limit: number) {
  const queue = createKeyedQueue();
  const running = new Set<Promise<unknown>>();
  let failure: { error: unknown } | undefined;
  const throwFailure = () => {
    if (failure) throw failure.error;
  };
  return {
    async submit(key: string, task: () => Promise<unknown>): Promise<void> {
      while (running.size >= limit) await Promise.race(running);
      throwFailure();
      const run = queue.run(key, task).then(
        () => undefined,
        (error: unknown) => {
          failure ??= { error };
        },
      );
      running.add(run);
      void run.then(() => running.delete(run));
    },
    /** Waits for every submitted task; throws the first failure. */
    async drain(): Promise<void> {
      await Promise.all(running);
      throwFailure();
    },
  };
}
