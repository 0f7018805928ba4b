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
        retry: { baseMs: 1_000, maxMs: 300_000, maxAttempts: 10 },
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
    });
    expect(config.delivery.timeoutMs).toBe(2_500);
    expect(config.delivery.retry).toEqual({ baseMs: 100, maxMs: 400, maxAttempts: 3 });
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
  });
});
