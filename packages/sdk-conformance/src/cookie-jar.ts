/**
 * The cookies a browser would keep for the token endpoint (`__lc_cid`, `__lc_cst`): enough of
 * RFC 6265 for one host, honouring `Path` and `Max-Age=0`; the customer's identity lives in them.
 */
export class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(url: string, setCookieHeaders: readonly string[]): void {
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator);
      const value = pair.slice(separator + 1);
      const attribute = (key: string) =>
        attributes.find((item) => item.toLowerCase().startsWith(`${key}=`))?.slice(key.length + 1);
      const path = attribute('path') ?? new URL(url).pathname.replace(/\/[^/]*$/, '/');
      const key = `${name};${path}`;
      if (attribute('max-age') === '0') this.cookies.delete(key);
      else this.cookies.set(key, { value, path });
    }
  }

  header(url: string): string | undefined {
    const { pathname } = new URL(url);
    const matching = [...this.cookies.entries()]
      .filter(([, cookie]) => pathname.startsWith(cookie.path))
      .map(([key, cookie]) => `${key.slice(0, key.indexOf(';'))}=${cookie.value}`);
    return matching.length > 0 ? matching.join('; ') : undefined;
  }
}
