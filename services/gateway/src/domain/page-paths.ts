/**
 * Which file of the pages directory a request path names (pure; the adapter reads it). A path
 * that could leave the directory (`..`, encoded or not, backslashes, NUL) names nothing.
 */
export type PageTarget =
  | { kind: 'file'; relativePath: string; immutable: boolean }
  | { kind: 'redirect'; location: string }
  | { kind: 'refused' };

export function pageTarget(pathname: string, search = ''): PageTarget {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'refused' };
  }
  if (/[\\\0]/.test(decoded)) return { kind: 'refused' };
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '..' || segment === '.')) return { kind: 'refused' };
  // `/widget` → `/widget/`: the page's relative links resolve against the folder.
  if (segments.length === 1) return { kind: 'redirect', location: `${pathname}/${search}` };
  const relativePath = decoded.endsWith('/') ? `${decoded.slice(1)}index.html` : decoded.slice(1);
  // Vite names every built asset by its content hash: such a file never changes.
  return { kind: 'file', relativePath, immutable: segments[0] === 'assets' };
}

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  map: 'application/json; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ico: 'image/x-icon',
  webp: 'image/webp',
  woff2: 'font/woff2',
  txt: 'text/plain; charset=utf-8',
};

/** The Content-Type of a page file by its extension; unknown ones download as bytes. */
export function pageContentType(relativePath: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(relativePath)?.[1]?.toLowerCase() ?? '';
  return contentTypes[extension] ?? 'application/octet-stream';
}
