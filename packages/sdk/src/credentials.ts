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
  return `Basic ${base64(raw)}`;
}

/** UTF-8 then base64 with what both Node and browsers have (no `Buffer` in a browser). */
function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}
