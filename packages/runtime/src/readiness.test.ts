import { describe, expect, it } from 'vitest';
import { createReadiness } from './readiness.ts';

describe('createReadiness', () => {
  it('is ready when every check passes, whatever they return but false', async () => {
    const readiness = createReadiness({
      sync: () => true,
      async: async () => ({ rows: [] }),
      nothing: () => undefined,
    });
    expect(await readiness.report()).toEqual({
      ready: true,
      checks: { sync: 'ok', async: 'ok', nothing: 'ok' },
    });
    expect(await readiness.isReady()).toBe(true);
  });

  it('names each failing check and why: false, an error, or no answer in time', async () => {
    const readiness = createReadiness(
      {
        'not stopping': () => false,
        'postgres query': async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
        },
        'nats round trip': () => new Promise(() => undefined),
        'consumer running': () => true,
      },
      { timeoutMs: 50 },
    );
    expect(await readiness.report()).toEqual({
      ready: false,
      checks: {
        'not stopping': 'failing',
        'postgres query': 'connect ECONNREFUSED 127.0.0.1:5432',
        'nats round trip': 'no answer within 50 ms',
        'consumer running': 'ok',
      },
    });
    expect(await readiness.isReady()).toBe(false);
  });
});
