import type { IncomingMessage } from 'node:http';
import { ProtocolError } from '@threadline/protocol';
import { requestJsonProblem } from '../../domain/request-json.ts';

/** Reads a request body, refusing more than `maxBytes` (`entity_too_large`). */
export async function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * A body as the protocol's payload object. JSON whatever the declared type (browsers post the
 * customer token request as `text/plain`), a form when it says so, `{}` when empty.
 */
export function parseBody(body: Buffer, contentType: string | undefined): unknown {
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  const isForm = (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  // curl and some HTTP libraries label any body a form; a body that opens like JSON is JSON.
  const parsed =
    isForm && !text.trimStart().startsWith('{')
      ? Object.fromEntries(new URLSearchParams(text))
      : parseJson(text);
  const problem = requestJsonProblem(parsed);
  if (problem) throw new ProtocolError('validation', problem);
  return parsed;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtocolError('validation', 'Wrong format of request: the body is not valid JSON');
  }
}

function tooLarge(maxBytes: number): ProtocolError {
  return new ProtocolError('entity_too_large', `The request body is larger than ${maxBytes} bytes`);
}
