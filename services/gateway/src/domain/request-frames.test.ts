import { describe, expect, it } from 'vitest';
import { readRequestFrame as readFrame } from './request-frames.ts';

const maxBytes = 1024;
const readRequestFrame = (text: string | undefined) => readFrame(text, maxBytes);

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

  // Found by the hostile-input fuzz test: an oversized frame closed the socket (1009) unanswered.
  it('answers a frame over the size limit with entity_too_large on its request_id', () => {
    const padding = 'p'.repeat(maxBytes);
    const reading = readRequestFrame(
      `{"pad":"${padding}","action":"send_event","request_id":"big"}`,
    );
    expect(reading).toMatchObject({ ok: false, action: 'send_event', requestId: 'big' });
    if (!reading.ok) expect(reading.error.type).toBe('entity_too_large');
    // Bytes, not characters: two-byte characters count twice.
    const wide = readRequestFrame(`{"action":"ping","pad":"${'ż'.repeat(maxBytes / 2)}"}`);
    if (!wide.ok) expect(wide.error.type).toBe('entity_too_large');
    expect(wide.ok).toBe(false);
    const junk = readRequestFrame(padding.repeat(2));
    if (!junk.ok) expect(junk.error.type).toBe('entity_too_large');
  });
});

// Found by the hostile-input fuzz test: deep content passed the schema and failed as `internal`.
describe('readRequestFrame nesting', () => {
  it('refuses a frame nested deeper than the limit, on its request_id', () => {
    const deep = `${'['.repeat(5_000)}${']'.repeat(5_000)}`;
    const reading = readFrame(
      `{"action":"send_event","request_id":"deep","payload":{"x":${deep}}}`,
      1_000_000,
    );
    expect(reading).toMatchObject({ ok: false, action: 'send_event', requestId: 'deep' });
    if (!reading.ok) expect(reading.error).toMatchObject({ type: 'validation' });
  });

  it('refuses a frame with U+0000 in its text, on its request_id', () => {
    const reading = readFrame(
      '{"action":"update_customer","request_id":"nul","payload":{"name":"a\\u0000"}}',
      1_000,
    );
    expect(reading).toMatchObject({ ok: false, requestId: 'nul' });
    if (!reading.ok) expect(reading.error.type).toBe('validation');
  });
});
