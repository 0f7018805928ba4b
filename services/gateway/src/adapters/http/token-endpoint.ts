import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccountsDatabase, CookieIdentity } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { httpStatusByErrorType, type ProtocolError } from '@threadline/protocol';
import type { ConfigurationChanges } from '../../application/configuration-changes.ts';
import { grantCustomerToken, TokenGrantError } from '../../application/customer-token.ts';
import { parseBody, readBody } from './body.ts';
import { parseCookies, serializeCookie } from './cookies.ts';
import { errorHeaders, sendJson } from './respond.ts';

export interface TokenEndpointDependencies {
  db: Kysely<AccountsDatabase>;
  /** A customer a grant creates is recorded as 3.5's `incoming_customer` webhook. */
  configurationChanges: ConfigurationChanges;
  maxBodyBytes: number;
  cookieSecure: 'auto' | 'true' | 'false';
  /** Counts the grant against its client's address (grants need no credentials to ask). */
  admitClient(request: IncomingMessage): void;
  asProtocolError(error: unknown): ProtocolError;
}

/** LiveChat's identity cookies live two years and are renewed by every call. */
const cookieMaxAgeSeconds = 2 * 365 * 24 * 60 * 60;
const customerIdCookie = '__lc_cid';
const customerSecretCookie = '__lc_cst';

/**
 * `POST /v2/customer/token` and `/v2/customer/<organization_id>/<group_id>/token`. Errors carry
 * LiveChat's `oauth_exception` (what its customer-auth library reads) and the protocol envelope.
 */
export async function handleCustomerToken(
  dependencies: TokenEndpointDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  route: { organizationId: string | undefined; groupId: number | undefined },
  url: URL,
): Promise<number> {
  try {
    const params = await readTokenParams(dependencies, request);
    const cookies = parseCookies(request.headers.cookie);
    const result = await grantCustomerToken(dependencies, {
      params,
      path: route,
      authorization: request.headers.authorization,
      cookie: cookieIdentity(cookies),
    });
    const headers: Record<string, string | string[]> = { 'cache-control': 'no-store' };
    if (result.cookie) {
      headers['set-cookie'] = identityCookies(result.cookie, {
        path: url.pathname,
        secure: isSecure(dependencies.cookieSecure, request),
      });
    }
    sendJson(response, 200, result.body, headers);
    return 200;
  } catch (error) {
    return sendTokenFailure(response, dependencies.asProtocolError(error));
  }
}

/**
 * The parameters of a POST to the token endpoints (JSON, text/plain JSON or a form), once the
 * request is counted against its client's address.
 */
export async function readTokenParams(
  dependencies: Pick<TokenEndpointDependencies, 'maxBodyBytes' | 'admitClient'>,
  request: IncomingMessage,
): Promise<Record<string, unknown>> {
  dependencies.admitClient(request);
  if (request.method !== 'POST') {
    throw new TokenGrantError('validation', 'invalid_request', 'Use POST');
  }
  const body = parseBody(
    await readBody(request, dependencies.maxBodyBytes),
    request.headers['content-type'],
  );
  return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
}

/** A refusal with LiveChat's `oauth_exception` beside the protocol envelope; returns the status. */
export function sendTokenFailure(response: ServerResponse, error: ProtocolError): number {
  const failure = tokenFailure(error);
  const status = httpStatusByErrorType[failure.type];
  sendJson(
    response,
    status,
    { oauth_exception: failure.oauthException, ...failure.toEnvelope() },
    errorHeaders(error),
  );
  return status;
}

function tokenFailure(error: ProtocolError): TokenGrantError {
  if (error instanceof TokenGrantError) return error;
  const oauthException =
    error.type === 'internal'
      ? 'server_error'
      : error.type === 'service_unavailable' || error.type === 'too_many_requests'
        ? 'temporarily_unavailable'
        : 'invalid_request';
  return new TokenGrantError(error.type, oauthException, error.message);
}

function cookieIdentity(cookies: Map<string, string>): CookieIdentity | undefined {
  const customerId = cookies.get(customerIdCookie);
  const secret = cookies.get(customerSecretCookie);
  return customerId && secret ? { customerId, secret } : undefined;
}

/**
 * The cookies' path is the token URL itself, so the per-group endpoints keep identities of their
 * own (LiveChat's `uniqueGroups`) and the cookies travel nowhere else.
 */
function identityCookies(
  identity: CookieIdentity,
  options: { path: string; secure: boolean },
): string[] {
  const attributes = { ...options, maxAgeSeconds: cookieMaxAgeSeconds };
  return [
    serializeCookie(customerIdCookie, identity.customerId, attributes),
    serializeCookie(customerSecretCookie, identity.secret, attributes),
  ];
}

function isSecure(setting: 'auto' | 'true' | 'false', request: IncomingMessage): boolean {
  if (setting !== 'auto') return setting === 'true';
  const forwarded = request.headers['x-forwarded-proto'];
  const protocol = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return protocol === 'https' || 'encrypted' in request.socket;
}
