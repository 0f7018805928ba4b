import { authorizationHeader, type Credentials } from './credentials.ts';
import { errorFromEnvelope, ThreadlineApiError } from './errors.ts';

export interface CustomerToken {
  access_token: string;
  entity_id: string;
  expires_in: number;
  token_type: 'Bearer';
  organization_id: string;
  client_id?: string;
}

/**
 * A browser-like holder of the customer identity cookies (`__lc_cid`, `__lc_cst`): pass the same jar
 * to later calls and the server recognises the returning customer.
 */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(setCookieHeaders: string[]): void {
    for (const header of setCookieHeaders) {
      const [pair] = header.split(';');
      const separator = pair?.indexOf('=') ?? -1;
      if (pair && separator > 0)
        this.cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1));
    }
  }

  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
}

export type CustomerTokenRequest =
  | {
      grantType: 'cookie';
      clientId: string;
      organizationId: string;
      cookies?: CookieJar;
      origin?: string;
    }
  | {
      grantType: 'agent_token';
      clientId: string;
      organizationId: string;
      agent: Credentials;
      entityId?: string;
    };

/** Asks `POST /v2/customer/token` for a customer access token (grant `cookie` or `agent_token`). */
export async function requestCustomerToken(
  baseUrl: string,
  request: CustomerTokenRequest,
): Promise<CustomerToken> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const body: Record<string, string> = {
    grant_type: request.grantType,
    client_id: request.clientId,
    response_type: 'token',
    organization_id: request.organizationId,
  };
  if (request.grantType === 'cookie') {
    const cookie = request.cookies?.header();
    if (cookie) headers.cookie = cookie;
    if (request.origin) headers.origin = request.origin;
  } else {
    headers.authorization = authorizationHeader(request.agent);
    if (request.entityId) body.entity_id = request.entityId;
  }
  const response = await fetch(new URL('/v2/customer/token', baseUrl), {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    // In a browser the identity cookies are the browser's own: sent and stored also when the
    // page is on another origin than the gateway (a widget on a customer's website).
    credentials: 'include',
  });
  if (request.grantType === 'cookie') request.cookies?.store(response.headers.getSetCookie());
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    throw (
      errorFromEnvelope(payload, response.status) ??
      new ThreadlineApiError('internal', `HTTP ${response.status}`)
    );
  }
  return payload as CustomerToken;
}
