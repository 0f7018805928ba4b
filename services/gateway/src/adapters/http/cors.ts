import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Browser widgets call the gateway from the website's origin with credentials (the identity
 * cookies), so the origin is echoed rather than answered with `*`, which credentials forbid.
 */
export function applyCors(request: IncomingMessage, response: ServerResponse): void {
  const origin = request.headers.origin;
  if (!origin) return;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('access-control-allow-credentials', 'true');
  response.setHeader('access-control-expose-headers', 'Legacy, Deprecation');
  response.setHeader('vary', 'Origin');
}

/** Answers a CORS preflight: any method the APIs use, and the headers the SDKs send. */
export function answerPreflight(request: IncomingMessage, response: ServerResponse): void {
  const requested = request.headers['access-control-request-headers'];
  response.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers':
      requested ??
      'Authorization, Content-Type, X-API-Version, X-Region, X-Author-Id, Idempotency-Key',
    'access-control-max-age': '600',
  });
  response.end();
}
