/**
 * Polls until `check` stops throwing (its assertions hold) and returns its result; when time runs
 * out, the last failure is what the test reports. For outcomes that arrive asynchronously across
 * services, without timed sleeps.
 */
export async function eventually<T>(check: () => Promise<T> | T, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
