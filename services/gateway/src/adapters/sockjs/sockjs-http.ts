import { randomInt } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ProtocolError } from '@threadline/protocol';
import { infoResponse } from '../../domain/sockjs-frames.ts';
import { sendError, sendJson } from '../http/respond.ts';

const noCache = { 'cache-control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0' };

/**
 * SockJS's HTTP resources under `…/rtm/sjs`: the greeting, and `/info`, which tells clients the
 * websocket transport is available (the only one served; sockjs-client prefers it). Returns the
 * HTTP status, for the request metrics.
 */
export function handleSockJs(
  response: ServerResponse,
  resource: 'greeting' | 'info' | 'unsupported',
): number {
  switch (resource) {
    case 'greeting':
      response.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
      response.end('Welcome to SockJS!\n');
      return 200;
    case 'info':
      sendJson(response, 200, infoResponse(randomInt(0, 2 ** 32)), noCache);
      return 200;
    case 'unsupported':
      sendError(response, new ProtocolError('not_found', 'Only the websocket transport is served'));
      return 404;
  }
}
