/** A check is fine when it returns anything but `false`; it fails by returning `false` or throwing. */
export type ReadinessCheck = () => unknown;

/** Each check's outcome by name: `ok`, or what is wrong. */
export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, string>;
}

export interface Readiness {
  isReady(): Promise<boolean>;
  report(): Promise<ReadinessReport>;
}

/**
 * Readiness from named checks that exercise the real paths (a NATS round trip, a Postgres query,
 * the durable consumers' loops), run together, each within `timeoutMs`. The report names what
 * failed and why, so a misconfigured deployment's /readyz says what is wrong rather than only 503.
 */
export function createReadiness(
  checks: Record<string, ReadinessCheck>,
  options: { timeoutMs?: number } = {},
): Readiness {
  const timeoutMs = options.timeoutMs ?? 2_000;
  async function report(): Promise<ReadinessReport> {
    const outcomes = await Promise.all(
      Object.entries(checks).map(
        async ([name, check]) => [name, await outcomeOf(check, timeoutMs)] as const,
      ),
    );
    return {
      ready: outcomes.every(([, outcome]) => outcome === 'ok'),
      checks: Object.fromEntries(outcomes),
    };
  }
  return { report, isReady: async () => (await report()).ready };
}

async function outcomeOf(check: ReadinessCheck, timeoutMs: number): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  const checked = (async () => {
    try {
      return (await check()) === false ? 'failing' : 'ok';
    } catch (error) {
      return error instanceof Error ? error.message || error.name : String(error);
    }
  })();
  try {
    return await Promise.race([checked, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
