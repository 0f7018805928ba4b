import type { IncomingMessage } from 'node:http';

/**
 * The client's address for per-address limits: the peer of the connection, or behind a load
 * balancer the last entry of the header it sets (`x-forwarded-for`): the entry the balancer
 * appended itself, where earlier ones are whatever the client sent.
 */
export function clientAddress(
  request: IncomingMessage,
  header: string | undefined,
): string | undefined {
  if (header) {
    const value = request.headers[header];
    const last = (Array.isArray(value) ? value.at(-1) : value)?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return request.socket.remoteAddress;
}
