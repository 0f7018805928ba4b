import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { describe, expect, it } from 'vitest';
import { redactedValue } from './logger.ts';
import { capturedLogger } from './testing.ts';

describe('createLogger', () => {
  it('censors credentials at the top of a line and in nested objects, keeping the rest', async () => {
    const { logger, lines } = capturedLogger();
    const secrets = [
      'Bearer dal:bearer-secret',
      'Basic YWNjb3VudDpwYXQ=',
      '__lc_cid=cookie-secret',
      'dal:token-secret',
      'hunter2',
      'webhook-secret-key',
      'bot-secret',
      'dal:pat-secret',
    ];
    logger.info(
      {
        token: secrets[3],
        request: {
          method: 'POST',
          headers: {
            authorization: secrets[0],
            cookie: secrets[2],
            'set-cookie': [secrets[2]],
            host: 'chat.example.com',
          },
        },
        login: { payload: { token: secrets[1] } },
        registration: { url: 'https://hooks.example.com', secret_key: secrets[5] },
        err: { config: { headers: { Authorization: secrets[0] } } },
        operator: { password: secrets[4], bot_secret: secrets[6], pat: secrets[7] },
      },
      'a request that went wrong',
    );
    await new Promise((resolve) => setImmediate(resolve));

    const [line] = lines;
    const text = JSON.stringify(line);
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(line).toMatchObject({
      service: 'test',
      msg: 'a request that went wrong',
      token: redactedValue,
      request: {
        method: 'POST',
        headers: {
          authorization: redactedValue,
          cookie: redactedValue,
          'set-cookie': redactedValue,
          host: 'chat.example.com',
        },
      },
      login: { payload: { token: redactedValue } },
      registration: { url: 'https://hooks.example.com', secret_key: redactedValue },
      err: { config: { headers: { Authorization: redactedValue } } },
      operator: { password: redactedValue, bot_secret: redactedValue, pat: redactedValue },
    });
  });

  it('censors credentials in child loggers’ bindings too', async () => {
    const { logger, lines } = capturedLogger();
    logger.child({ connection: { token: 'dal:child-secret' } }).warn('closing');
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.stringify(lines[0])).not.toContain('dal:child-secret');
  });

  it('adds the active span’s trace and span ids to lines logged inside it, only there', async () => {
    const { logger, lines } = capturedLogger();
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    try {
      const span = trace.wrapSpanContext({
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        traceFlags: 1,
      });
      context.with(trace.setSpan(context.active(), span), () => logger.info('inside'));
      logger.info('outside');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      context.disable();
    }
    expect(lines[0]).toMatchObject({
      msg: 'inside',
      trace_id: '0af7651916cd43dd8448eb211c80319c',
      span_id: 'b7ad6b7169203331',
    });
    expect(lines[1]?.msg).toBe('outside');
    expect(lines[1]).not.toHaveProperty('trace_id');
  });
});
