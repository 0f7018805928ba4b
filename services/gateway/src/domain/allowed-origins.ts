/**
 * An organization's allowed domains (LiveChat's "trusted domains"): the websites whose pages may
 * open its customers' connections. Kept as the license property `security.allowed_domains`
 * (accounts' built-in-properties.ts), a list separated by commas or whitespace
 * (`example.com, shop.example.org`). A domain allows itself and its subdomains; `*.example.com`
 * allows only the subdomains. None configured allows every origin, as before the setting existed.
 */

/** The domains of the property's value, lower-cased, without duplicates. */
export function parseAllowedDomains(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  const domains = value
    .split(/[\s,]+/)
    .map((domain) => domain.trim().toLowerCase().replace(/\.$/, ''))
    .filter((domain) => domain !== '' && domain !== '*.');
  return [...new Set(domains)];
}

/**
 * Whether a request with this `Origin` header (or a page at this URL) may act for the
 * organization. Only browsers send
 * `Origin`, and a page cannot forge it: the check keeps other websites from embedding the
 * organization's widget. A request without one comes from a server-side client, which could send
 * any header it liked, so it is not refused (the check is not authentication).
 */
export function isOriginAllowed(origin: string | undefined, domains: readonly string[]): boolean {
  if (domains.length === 0 || origin === undefined) return true;
  const host = hostOf(origin);
  if (host === undefined) return false; // `null` (sandboxed frames, file://) or garbage
  return domains.some((domain) =>
    domain.startsWith('*.')
      ? host.endsWith(domain.slice(1))
      : host === domain || host.endsWith(`.${domain}`),
  );
}

function hostOf(origin: string): string | undefined {
  try {
    const { protocol, hostname } = new URL(origin);
    if (protocol !== 'http:' && protocol !== 'https:') return undefined;
    return hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return undefined;
  }
}
