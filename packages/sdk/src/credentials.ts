/** How a client proves who it is: a personal access token (Basic) or a bearer token. */
export type Credentials = { accountId: string; personalAccessToken: string } | { bearer: string };

/** The `Authorization` header value, as LiveChat's Web API and RTM login expect it. */
export function authorizationHeader(credentials: Credentials): string {
  if ('bearer' in credentials) {
    return credentials.bearer.startsWith('Bearer ')
      ? credentials.bearer
      : `Bearer ${credentials.bearer}`;
  }
  const raw = `${credentials.accountId}:${credentials.personalAccessToken}`;
  return `Basic ${Buffer.from(raw).toString('base64')}`;
}
