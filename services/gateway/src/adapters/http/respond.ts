import type { ServerResponse } from 'node:http';
import { httpStatusByErrorType, type ProtocolError } from '@threadline/protocol';
import { RateLimitedError } from '../../application/rate-limits.ts';

export type Headers = Record<string, string | string[]>;

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Headers = {},
): void {
  if (response.headersSent) return;
  const text = JSON.stringify(body ?? {});
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** The protocol's error envelope, with Threadline's status for its type. */
export function sendError(
  response: ServerResponse,
  error: ProtocolError,
  headers: Headers = {},
): void {
  sendJson(response, httpStatusByErrorType[error.type], error.toEnvelope(), {
    ...headers,
    ...errorHeaders(error),
  });
}

/** A rate limit's refusal says when to come back (RFC 9110 `Retry-After`, whole seconds). */
export function errorHeaders(error: ProtocolError): Headers {
  return error instanceof RateLimitedError
    ? { 'retry-after': String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))) }
    : {};
}
