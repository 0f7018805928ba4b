/**
 * Runs tasks with the same key one after another, tasks with different keys concurrently. Commands
 * on one chat then never race each other inside a replica: only replicas race, and the stream's
 * expected sequence settles that.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
    get size(): number {
      return tails.size;
    },
  };
}
