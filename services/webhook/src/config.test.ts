import { ConfigError } from '@threadline/runtime';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('fills in the defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      namespace: 'tl',
      health: { port: 9103 },
      grpc: { port: 50053 },
      delivery: {
        timeoutMs: 10_000,
        retry: { baseMs: 30_000, maxMs: 5_400_000, maxAttempts: 11 },
        endpointConcurrency: 8,
        breaker: { failureThreshold: 5, coolDownMs: 30_000, maxCoolDownMs: 600_000 },
      },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads the delivery settings', () => {
    const config = loadConfig({
      WEBHOOK_DELIVERY_TIMEOUT_MS: '2500',
      WEBHOOK_MAX_ATTEMPTS: '3',
      WEBHOOK_BACKOFF_BASE_MS: '100',
      WEBHOOK_BACKOFF_MAX_MS: '400',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      WEBHOOK_BREAKER_FAILURES: '3',
      WEBHOOK_BREAKER_COOLDOWN_MS: '500',
      WEBHOOK_BREAKER_MAX_COOLDOWN_MS: '2000',
    });
    expect(config.delivery.timeoutMs).toBe(2_500);
    expect(config.delivery.retry).toEqual({ baseMs: 100, maxMs: 400, maxAttempts: 3 });
    expect(config.delivery.endpointConcurrency).toBe(2);
    expect(config.delivery.breaker).toEqual({
      failureThreshold: 3,
      coolDownMs: 500,
      maxCoolDownMs: 2_000,
    });
  });

  it('reports every problem at once, by variable', () => {
    let caught: unknown;
    try {
      loadConfig({ HEALTH_PORT: 'x', THREADLINE_NAMESPACE: 'a.b' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect(String(caught)).toContain('HEALTH_PORT');
    expect(String(caught)).toContain('THREADLINE_NAMESPACE');
  });

  it('allows no private network unless WEBHOOK_ALLOWED_NETWORKS lists it', () => {
    expect(loadConfig({}).delivery.allowedNetworks).toEqual([]);
    const config = loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128' });
    expect(config.delivery.allowedNetworks.map((network) => network.cidr)).toEqual([
      '127.0.0.0/8',
      '::1/128',
    ]);
    expect(() => loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,localhost' })).toThrow(
      /WEBHOOK_ALLOWED_NETWORKS: not a CIDR network: localhost/,
    );
  });

  it('refuses a backoff cap below the base delay', () => {
    expect(() =>
      loadConfig({ WEBHOOK_BACKOFF_BASE_MS: '5000', WEBHOOK_BACKOFF_MAX_MS: '10' }),
    ).toThrow(/WEBHOOK_BACKOFF_MAX_MS/);
    expect(() =>
      loadConfig({ WEBHOOK_BREAKER_COOLDOWN_MS: '5000', WEBHOOK_BREAKER_MAX_COOLDOWN_MS: '10' }),
    ).toThrow(/WEBHOOK_BREAKER_MAX_COOLDOWN_MS/);
  });
});
