import { ConfigError } from '@threadline/runtime';
import { describe, expect, it } from 'vitest';
import { loadGatewayConfig } from './config.ts';

describe('loadGatewayConfig', () => {
  it('has working defaults', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({
      namespace: 'tl',
      http: { port: 8080, host: '0.0.0.0', cookieSecure: 'auto' },
      healthPort: 9100,
      requestTimeoutMs: 15_000,
      rtm: { loginTimeoutMs: 30_000, maxPendingRequests: 10 },
      stageEndDates: { '3.5': '2027-08-07', '3.4': '2027-02-07' },
    });
  });

  it('has rate limits on by default, and a way to turn them off', () => {
    const config = loadGatewayConfig({});
    expect(config.rateLimits).toEqual({
      enabled: true,
      windowMs: 10_000,
      perUser: 1_000,
      perAddress: 2_000,
      shareIntervalMs: 250,
    });
    expect(config.rtm.maxConnectionsPerUser).toBe(50);
    expect(config.clientIpHeader).toBeUndefined();
    expect(loadGatewayConfig({ RATE_LIMITS: 'off' }).rateLimits.enabled).toBe(false);
    expect(loadGatewayConfig({ CLIENT_IP_HEADER: ' X-Forwarded-For ' }).clientIpHeader).toBe(
      'x-forwarded-for',
    );
  });

  it('serves the pages from WEB_PAGES_DIR, and none when it is empty', () => {
    expect(loadGatewayConfig({ WEB_PAGES_DIR: '/app/web' }).http.pagesDir).toBe('/app/web');
    expect(loadGatewayConfig({ WEB_PAGES_DIR: '' }).http.pagesDir).toBeUndefined();
    expect(loadGatewayConfig({}).http.pagesDir).toBeUndefined();
  });

  it('reads version stage end dates', () => {
    const config = loadGatewayConfig({ API_STAGE_END_DATES: '3.5=2026-08-07, 3.4=2025-12-31' });
    expect(config.stageEndDates).toEqual({ '3.5': '2026-08-07', '3.4': '2025-12-31' });
    expect(loadGatewayConfig({ API_STAGE_END_DATES: '-' }).stageEndDates).toEqual({});
  });

  it('reports every bad variable at once', () => {
    expect(() =>
      loadGatewayConfig({
        PORT: 'eighty',
        API_STAGE_END_DATES: '3.5:soon',
        THREADLINE_NAMESPACE: 'a.b',
      }),
    ).toThrow(ConfigError);
    try {
      loadGatewayConfig({
        PORT: 'eighty',
        API_STAGE_END_DATES: '3.5:soon',
        THREADLINE_NAMESPACE: 'a.b',
      });
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('PORT');
      expect(message).toContain('API_STAGE_END_DATES');
      expect(message).toContain('THREADLINE_NAMESPACE');
    }
  });
});
