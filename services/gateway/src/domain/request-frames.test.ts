import { describe, expect, it } from 'vitest';
import { readRequestFrame } from './request-frames.ts';

describe('readRequestFrame', () => {
  it('reads a request frame, payload and version optional', () => {
    expect(readRequestFrame('{"action":"ping"}')).toEqual({ ok: true, frame: { action: 'ping' } });
    expect(
      readRequestFrame(
        '{"request_id":"1","action":"login","version":"3.5","payload":{"token":"t"}}',
      ),
    ).toEqual({
      ok: true,
      frame: { request_id: '1', action: 'login', version: '3.5', payload: { token: 't' } },
    });
  });

  it('turns binary, non-JSON and non-frames into validation failures', () => {
    for (const input of [undefined, 'hello', '[1]', 'null', '{"action":""}', '{"payload":{}}']) {
      const reading = readRequestFrame(input);
      expect(reading.ok, String(input)).toBe(false);
      if (!reading.ok) expect(reading.error.type).toBe('validation');
    }
  });

  it('keeps what it can of a bad frame, to answer it recognisably', () => {
    const reading = readRequestFrame('{"request_id":"r7","action":"send_event","version":7}');
    expect(reading).toMatchObject({ ok: false, action: 'send_event', requestId: 'r7' });
    expect(readRequestFrame('{"request_id":9,"action":42}')).toMatchObject({
      ok: false,
      action: 'unknown',
      requestId: undefined,
    });
  });
});
