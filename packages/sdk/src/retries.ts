/**
 * Runs `work` until it succeeds, waiting a little longer after each failure; the last failure is
 * thrown. For reads that may briefly trail a push (eventually consistent projections).
 */
export async function withRetries<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
