import {
  type ErrorType,
  ProtocolError,
  type RequestFrame,
  requestFrameSchema,
} from '@threadline/protocol';

import { requestJsonProblem } from './request-json.ts';

export type FrameReading =
  | { ok: true; frame: RequestFrame }
  | { ok: false; action: string; requestId: string | undefined; error: ProtocolError };

/**
 * Reads one websocket message as an RTM request frame. Anything else (binary, not JSON, not an
 * object with a string `action`, nested too deep, text Postgres cannot store) is a `validation` failure, and a frame over `maxBytes` is
 * `entity_too_large` (as an oversized Web API body is), each answered on the frame's `action` and
 * `request_id` when they can be read, so that a client can match the answer to what it sent.
 */
export function readRequestFrame(text: string | undefined, maxBytes: number): FrameReading {
  if (text === undefined) return failure(undefined, 'Binary frames are not supported');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  // Read anyway (the socket's own cap bounds it): the answer needs the request_id.
  if (Buffer.byteLength(text) > maxBytes) {
    return failure(raw, `The frame is larger than ${maxBytes} bytes`, 'entity_too_large');
  }
  if (raw === undefined) return failure(undefined, 'Wrong format of request: not JSON');
  const problem = requestJsonProblem(raw);
  if (problem) return failure(raw, problem);
  const parsed = requestFrameSchema.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  return failure(raw, 'Wrong format of request: not a request frame');
}

function failure(raw: unknown, message: string, type: ErrorType = 'validation'): FrameReading {
  const loose = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  return {
    ok: false,
    action: typeof loose.action === 'string' ? loose.action : 'unknown',
    requestId: typeof loose.request_id === 'string' ? loose.request_id : undefined,
    error: new ProtocolError(type, message),
  };
}
