import type { IncomingMessage, ServerResponse } from 'node:http';
import { type AccountsDatabase, authenticate, type Identity } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { type Api, isServerFault, ProtocolError, stageHeaders } from '@threadline/protocol';
import { extractContext, inSpan, type Logger, markFailed, SpanKind } from '@threadline/runtime';
import type { OriginCheck } from '../../application/allowed-origins.ts';
import { requireNotBanned } from '../../application/customer-bans.ts';
import type { Dispatch } from '../../application/dispatcher.ts';
import { actAsAuthor } from '../../application/versions/author.ts';
import { resolveVersion } from '../../domain/versions.ts';
import { methodLabel } from '../../metrics.ts';
import { parseBody, readBody } from './body.ts';
import { readUpload, requestBaseUrl } from './files-endpoint.ts';
import { type Headers, sendError, sendJson } from './respond.ts';

export interface WebApiDependencies {
  db: Kysely<AccountsDatabase>;
  dispatch: Dispatch;
  stageEndDates: Readonly<Record<string, string>>;
  maxBodyBytes: number;
  publicUrl?: string | undefined;
  originCheck: Pick<OriginCheck, 'requireAllowedOrigin'>;
  /** Counts the request against its client's address; throws `too_many_requests` over the limit. */
  admitClient(request: IncomingMessage): void;
  asProtocolError(error: unknown): ProtocolError;
  /** At debug level, one line per request: with its trace id, a way from a trace to the logs. */
  logger: Logger;
}

/**
 * LiveChat's customer methods that are GETs, their parameters in the query string (spec §1.1).
 * None is served yet; when one is, it is reached the way LiveChat's SDKs call it.
 */
const getMethods: ReadonlySet<string> = new Set([
  'list_license_properties',
  'list_group_properties',
  'get_dynamic_configuration',
  'get_configuration',
  'get_localization',
  'get_license_id',
  'get_organization_id',
]);

type WebApiRoute = { api: Api; version: string | undefined; action: string };

/**
 * `POST /v<version>/<api>/action/<method>`: one request, one response or error envelope, in a
 * server span named by the method (`agent send_event`) that continues the caller's `traceparent`.
 */
export function handleWebApi(
  dependencies: WebApiDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  route: WebApiRoute,
  url: URL,
): Promise<number> {
  return inSpan(
    `${route.api} ${methodLabel(route.action)}`,
    {
      kind: SpanKind.SERVER,
      parent: extractContext(request.headers),
      attributes: { 'http.request.method': request.method ?? '', 'url.path': url.pathname },
    },
    async (span) => {
      const status = await answer(dependencies, request, response, route, url, (error) =>
        markFailed(span, error, { expected: !isServerFault(error) }),
      );
      span.setAttribute('http.response.status_code', status);
      dependencies.logger.debug(
        { api: route.api, method: route.action, status },
        'web api request',
      );
      return status;
    },
  );
}

async function answer(
  dependencies: WebApiDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  route: WebApiRoute,
  url: URL,
  onError: (error: ProtocolError) => void,
): Promise<number> {
  let headers: Headers = {};
  try {
    const version = resolveVersion(route.version, header(request, 'x-api-version'));
    headers = stageHeaders(version, dependencies.stageEndDates);
    dependencies.admitClient(request);
    const identity = await actAsAuthor(
      dependencies.db,
      version.version,
      await identify(dependencies.db, request),
      header(request, 'x-author-id'),
    );
    if (route.api === 'customer') {
      const organizationId = requireCustomerOrganization(url, identity);
      await dependencies.originCheck.requireAllowedOrigin(organizationId, request.headers.origin);
    }
    if (identity?.userType === 'customer') {
      await requireNotBanned(dependencies.db, identity.organizationId, identity.userId);
    }
    const payload = await readPayload(dependencies, request, route.action, url);
    const result = await dependencies.dispatch({
      api: route.api,
      version: version.version,
      action: route.action,
      payload,
      identity,
      transport: 'web',
      context: {
        idempotencyKey: header(request, 'idempotency-key'),
        ...(route.api === 'customer'
          ? { organizationId: url.searchParams.get('organization_id') ?? undefined }
          : {}),
      },
    });
    sendJson(response, 200, result ?? {}, headers);
    return 200;
  } catch (error) {
    const protocolError = dependencies.asProtocolError(error);
    onError(protocolError);
    sendError(response, protocolError, headers);
    return response.statusCode;
  }
}

/** Basic PAT or Bearer; a header that does not verify is `authentication`, none at all is anonymous. */
async function identify(
  db: Kysely<AccountsDatabase>,
  request: IncomingMessage,
): Promise<Identity | undefined> {
  const authorization = header(request, 'authorization');
  if (authorization === undefined) return undefined;
  const identity = await authenticate(db, authorization);
  if (!identity) throw new ProtocolError('authentication', 'Invalid access token');
  return identity;
}

/** The Customer Chat API wants `?organization_id=` on every call, and it must be the token's. */
function requireCustomerOrganization(url: URL, identity: Identity | undefined): string {
  const organizationId = url.searchParams.get('organization_id');
  if (!organizationId) {
    throw new ProtocolError('validation', 'Wrong format of request: organization_id is required');
  }
  if (identity && identity.organizationId !== organizationId) {
    throw new ProtocolError('authorization', 'The token belongs to another organization');
  }
  return organizationId;
}

async function readPayload(
  dependencies: WebApiDependencies,
  request: IncomingMessage,
  action: string,
  url: URL,
): Promise<unknown> {
  if (request.method === 'GET' && getMethods.has(action)) {
    const query = Object.fromEntries(url.searchParams);
    // The customer API's routing parameter, except where it is the method's own (`get_license_id`).
    if (action !== 'get_license_id') delete query.organization_id;
    return query;
  }
  if (request.method !== 'POST') {
    throw new ProtocolError('validation', `Wrong format of request: use POST for ${action}`);
  }
  if (action === 'upload_file') {
    return readUpload(request, requestBaseUrl(request, dependencies.publicUrl));
  }
  const body = await readBody(request, dependencies.maxBodyBytes);
  return parseBody(body, header(request, 'content-type'));
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
