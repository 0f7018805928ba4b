import type { ServerResponse } from 'node:http';
import { httpStatusByErrorType, type ProtocolError } from '@threadline/protocol';

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
  sendJson(response, httpStatusByErrorType[error.type], error.toEnvelope(), headers);
}
