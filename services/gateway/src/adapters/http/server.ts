import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AccountsDatabase } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { httpStatusByErrorType, ProtocolError } from '@threadline/protocol';
import { type HealthServerOptions, handleHealthRequest, type Logger } from '@threadline/runtime';
import type { OriginCheck } from '../../application/allowed-origins.ts';
import type { ConfigurationChanges } from '../../application/configuration-changes.ts';
import type { Dispatch } from '../../application/dispatcher.ts';
import type { FileLinks, FileStore } from '../../application/files.ts';
import type { RateLimiter } from '../../application/ports.ts';
import { requireAdmitted } from '../../application/rate-limits.ts';
import type { GatewayConfig } from '../../config.ts';
import { parseRoute } from '../../domain/routes.ts';
import type { GatewayMetrics } from '../../metrics.ts';
import { handleSockJs } from '../sockjs/sockjs-http.ts';
import type { RtmServer } from '../ws/rtm-server.ts';
import { clientAddress } from './client-address.ts';
import { answerPreflight, applyCors } from './cors.ts';
import { serveFile } from './files-endpoint.ts';
import { handleIdentityTransfer } from './identity-transfer-endpoint.ts';
import { servePage } from './pages-endpoint.ts';
import { sendError } from './respond.ts';
import { handleCustomerToken } from './token-endpoint.ts';
import { handleWebApi } from './web-api.ts';

export interface HttpDependencies {
  db: Kysely<AccountsDatabase>;
  configurationChanges: ConfigurationChanges;
  dispatch: Dispatch;
  rtm: RtmServer;
  config: Pick<GatewayConfig, 'http' | 'stageEndDates' | 'clientIpHeader'>;
  health: Pick<HealthServerOptions, 'readiness' | 'registry'>;
  metrics: GatewayMetrics;
  logger: Logger;
  files: FileStore;
  fileLinks: FileLinks;
  rateLimiter: RateLimiter;
  originCheck: OriginCheck;
}

/** Every LiveChat-shaped HTTP entry point of the gateway, and its probes. */
export function createHttpHandlers(dependencies: HttpDependencies) {
  const { config, metrics, logger } = dependencies;

  function asProtocolError(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    logger.error({ err: error }, 'request failed');
    return new ProtocolError('internal', 'Internal server error');
  }

  const web = {
    db: dependencies.db,
    configurationChanges: dependencies.configurationChanges,
    dispatch: dependencies.dispatch,
    stageEndDates: config.stageEndDates,
    maxBodyBytes: config.http.maxBodyBytes,
    cookieSecure: config.http.cookieSecure,
    publicUrl: config.http.publicUrl,
    originCheck: dependencies.originCheck,
    admitClient: (request: IncomingMessage) =>
      requireAdmitted(
        dependencies.rateLimiter.admitAddress(clientAddress(request, config.clientIpHeader)),
      ),
    asProtocolError,
    logger,
  };

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<[string, string, number]> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const target = parseRoute(url.pathname);
    applyCors(request, response);
    if (request.method === 'OPTIONS') {
      answerPreflight(request, response);
      return ['preflight', '', 204];
    }
    switch (target.kind) {
      case 'web_api':
        return ['web_api', target.api, await handleWebApi(web, request, response, target, url)];
      case 'customer_token':
        return [
          'customer_token',
          '',
          await handleCustomerToken(web, request, response, target, url),
        ];
      case 'file':
        return ['file', '', await serveFile(dependencies, response, target, url)];
      case 'identity_transfer':
        return ['identity_transfer', '', await handleIdentityTransfer(web, request, response)];
      case 'health':
        await handleHealthRequest(request, response, dependencies.health);
        return ['health', '', response.statusCode];
      case 'rtm':
        sendError(response, new ProtocolError('validation', 'This endpoint speaks WebSocket only'));
        return ['rtm', target.api, response.statusCode];
      case 'sockjs':
        return ['sockjs', target.api, handleSockJs(response, target.resource)];
      case 'page':
        return ['page', '', await servePage(config.http.pagesDir, request, response, url)];
      case 'unknown':
        sendError(response, new ProtocolError('not_found', `No such endpoint: ${url.pathname}`));
        return ['unknown', '', 404];
      default:
        return assertNever(target);
    }
  }

  function handleRequest(request: IncomingMessage, response: ServerResponse): void {
    const stopTimer = metrics.httpDuration.startTimer();
    route(request, response)
      .then(([kind, api, status]) => {
        stopTimer({ route: kind });
        metrics.httpRequests.inc({ route: kind, api, status: String(status) });
      })
      .catch((error: unknown) => {
        sendError(response, asProtocolError(error));
      });
  }

  function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const target = parseRoute(url.pathname);
    if (target.kind !== 'rtm') {
      refuseUpgrade(socket, new ProtocolError('not_found', `No such endpoint: ${url.pathname}`));
      return;
    }
    const organizationId = url.searchParams.get('organization_id');
    if (target.api !== 'customer' || !organizationId) {
      dependencies.rtm.accept(request, socket, head, target, url);
      return;
    }
    // A customer's socket from a website the organization does not allow is refused before the
    // upgrade: browsers show the page a failed connection, and no session is ever opened.
    // Node hands over an upgrading socket without an error listener, and ws adds its own only in
    // `accept`: until then a reset must not become an uncaught error.
    const ignoreReset = () => socket.destroy();
    socket.on('error', ignoreReset);
    dependencies.originCheck.requireAllowedOrigin(organizationId, request.headers.origin).then(
      () => {
        socket.off('error', ignoreReset);
        dependencies.rtm.accept(request, socket, head, target, url);
      },
      (error: unknown) => {
        socket.off('error', ignoreReset);
        refuseUpgrade(socket, asProtocolError(error));
      },
    );
  }

  return { handleRequest, handleUpgrade };
}

/** An HTTP answer to an upgrade request, with the protocol's error envelope as its body. */
function refuseUpgrade(socket: Duplex, error: ProtocolError): void {
  const body = JSON.stringify(error.toEnvelope());
  const status = httpStatusByErrorType[error.type];
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\n` +
      `Content-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function assertNever(value: never): never {
  throw new Error(`unexpected route ${JSON.stringify(value)}`);
}
