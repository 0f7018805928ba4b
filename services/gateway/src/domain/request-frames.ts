import { ProtocolError, type RequestFrame, requestFrameSchema } from '@threadline/protocol';

export type FrameReading =
  | { ok: true; frame: RequestFrame }
  | { ok: false; action: string; requestId: string | undefined; error: ProtocolError };

/**
 * Reads one websocket message as an RTM request frame. Anything else (binary, not JSON, not an
 * object with a string `action`) is a `validation` failure, answered on the frame's `action` and
 * `request_id` when they can be read, so that a client can match the answer to what it sent.
 */
export function readRequestFrame(text: string | undefined): FrameReading {
  if (text === undefined) return failure(undefined, 'Binary frames are not supported');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return failure(undefined, 'Wrong format of request: not JSON');
  }
  const parsed = requestFrameSchema.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  return failure(raw, 'Wrong format of request: not a request frame');
}

function failure(raw: unknown, message: string): FrameReading {
  const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    ok: false,
    action: typeof loose.action === 'string' ? loose.action : 'unknown',
    requestId: typeof loose.request_id === 'string' ? loose.request_id : undefined,
    error: new ProtocolError('validation', message),
  };
}
