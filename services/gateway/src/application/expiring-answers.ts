/**
 * Answers to a slow question (a query, a request to another service) reused for `ttlMs` per key.
 * Asks while one is in flight share it; a failed answer, or one `keep` refuses, is not reused.
 */
export function createExpiringAnswers<T>(options: {
  ttlMs: number;
  /** Whether this answer may be reused; all may by default. */
  keep?: (answer: T) => boolean;
  now?: () => number;
  /** Past this many keys, expired ones are dropped before another is added. */
  maxKeys?: number;
}) {
  const { ttlMs, keep = () => true, now = Date.now, maxKeys = 10_000 } = options;
  const entries = new Map<string, { askedAt: number; answer: Promise<T> }>();

  function prune(at: number): void {
    for (const [key, entry] of entries) if (at - entry.askedAt >= ttlMs) entries.delete(key);
  }

  return {
    get(key: string, ask: () => Promise<T>): Promise<T> {
      const at = now();
      const cached = entries.get(key);
      if (cached && at - cached.askedAt < ttlMs) return cached.answer;
      if (entries.size >= maxKeys) prune(at);
      const entry = { askedAt: at, answer: ask() };
      entries.set(key, entry);
      const drop = () => {
        if (entries.get(key) === entry) entries.delete(key);
      };
      entry.answer.then((answer) => {
        if (!keep(answer)) drop();
      }, drop);
      return entry.answer;
    },
    /** Forgets the answers whose keys begin with `prefix`. */
    forget(prefix: string): void {
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}
