import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { stableVersion } from '@threadline/protocol';
import { type Context, extractContext } from '@threadline/runtime';
import { WebSocketServer } from 'ws';
import { resolveVersion } from '../../domain/versions.ts';
import { clientAddress } from '../http/client-address.ts';
import { SockJsSocket } from '../sockjs/sockjs-socket.ts';
import { RtmConnection, type RtmDependencies } from './rtm-connection.ts';
import type { RtmSocket } from './rtm-socket.ts';

/** How far past `maxFrameBytes` a frame is still read to be answered rather than cut off. */
const frameReadFactor = 2;
/** Connections pinged between two turns of the event loop. */
const pingSlice = 500;

/**
 * Accepts RTM websocket upgrades and keeps every open connection, so shutdown can tell each of
 * them why it ends. Connection problems found at upgrade (unsupported version, customer without
 * `organization_id`) are reported the LiveChat way: accept, push `*_disconnected`, close.
 */
export function createRtmServer(
  options: Omit<RtmDependencies, 'notices'> & { clientIpHeader: string | undefined },
) {
  const dependencies: RtmDependencies = { ...options, notices: new Set() };
  const server = new WebSocketServer({
    noServer: true,
    // Frames up to twice the limit are read, to answer them `entity_too_large` on their
    // request_id (rtm-connection.ts); a larger one ends the connection (1009, Message Too Big).
    maxPayload: options.maxFrameBytes * frameReadFactor,
    perMessageDeflate: false,
  });
  const connections = new Set<RtmConnection>();
  let pinging = false;
  const keepAlive = setInterval(() => {
    if (pinging) return;
    pinging = true;
    void pingAll().finally(() => {
      pinging = false;
    });
  }, options.settings.pingIntervalMs);
  keepAlive.unref(); // the listening server, not this timer, keeps the process up

  /**
   * Pings every connection (and drops the idle ones) in slices, yielding between them: 20,000
   * pings in one go would hold every other request and push for a good part of a second.
   */
  async function pingAll(): Promise<void> {
    let pinged = 0;
    for (const connection of [...connections]) {
      connection.keepAlive();
      pinged += 1;
      if (pinged % pingSlice === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  function accept(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    route: {
      api: 'agent' | 'customer';
      version: string | undefined;
      transport?: 'websocket' | 'sockjs';
    },
    url: URL,
  ): void {
    server.handleUpgrade(request, socket, head, (websocket) => {
      let version = stableVersion;
      let refusal: string | undefined;
      try {
        version = resolveVersion(route.version, headerValue(request, 'x-api-version')).version;
      } catch {
        refusal = 'unsupported_version';
      }
      const organizationId = url.searchParams.get('organization_id') ?? undefined;
      if (!refusal && route.api === 'customer' && !organizationId) refusal = 'license_not_found';
      const connection = open(
        route.transport === 'sockjs' ? new SockJsSocket(websocket) : websocket,
        route.api,
        version,
        organizationId,
        clientAddress(request, options.clientIpHeader),
        extractContext(request.headers),
      );
      if (refusal) connection.disconnect(refusal);
    });
  }

  /**
   * Outside `accept` on purpose: the close listener made here lives as long as the connection,
   * and a closure made inside `accept` would keep the upgrade request and its URL alive with it.
   */
  function open(
    socket: RtmSocket,
    api: 'agent' | 'customer',
    version: string,
    organizationId: string | undefined,
    address: string | undefined,
    traceParent: Context,
  ): RtmConnection {
    const connection = new RtmConnection(
      socket,
      api,
      version,
      organizationId,
      address,
      dependencies,
      traceParent,
    );
    connections.add(connection);
    connection.onClose(() => connections.delete(connection));
    return connection;
  }

  /**
   * Ends every connection with a reason that tells clients to come back (to another gateway):
   * customers `service_temporarily_unavailable`, agents `internal_error` (the agent API's
   * documented reconnect reason; it has no `service_temporarily_unavailable`).
   */
  async function close(graceMs: number): Promise<void> {
    clearInterval(keepAlive);
    for (const connection of connections) {
      connection.disconnect(
        connection.api === 'agent' ? 'internal_error' : 'service_temporarily_unavailable',
        1001,
      );
    }
    await waitUntil(() => connections.size === 0, graceMs);
    for (const connection of connections) connection.terminate();
    await waitUntil(() => connections.size === 0, 1_000);
    await Promise.allSettled([...dependencies.notices]);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  return {
    accept,
    close,
    get size(): number {
      return connections.size;
    },
  };
}

export type RtmServer = ReturnType<typeof createRtmServer>;

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
