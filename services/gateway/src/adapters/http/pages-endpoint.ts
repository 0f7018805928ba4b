import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ProtocolError } from '@threadline/protocol';
import { pageContentType, pageTarget } from '../../domain/page-paths.ts';
import { sendError } from './respond.ts';

/**
 * The pages may talk only to this gateway (same origin: RTM, the Web API, signed file links);
 * nothing inline runs. Styles may be set by script (Preact sets `style` properties).
 */
const pageSecurityHeaders = {
  'content-security-policy':
    "default-src 'self'; connect-src 'self'; img-src 'self' data: blob:; " +
    "style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * `GET /widget/…`, `/console/…`, `/assets/…`: the built reference pages from `pagesDir`. Hashed
 * assets are cached for a year, pages revalidated on every load so a new build shows at once.
 */
export async function servePage(
  pagesDir: string | undefined,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
): Promise<number> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendError(response, new ProtocolError('validation', 'Pages are read with GET'), {
      allow: 'GET, HEAD',
    });
    return 400;
  }
  const target = pagesDir ? pageTarget(url.pathname, url.search) : undefined;
  if (target?.kind === 'redirect') {
    response.writeHead(301, { location: target.location }).end();
    return 301;
  }
  const file =
    pagesDir && target?.kind === 'file' ? await findFile(pagesDir, target.relativePath) : undefined;
  if (!file || target?.kind !== 'file') {
    sendError(response, new ProtocolError('not_found', `No such page: ${url.pathname}`));
    return 404;
  }
  response.writeHead(200, {
    ...pageSecurityHeaders,
    'content-type': pageContentType(target.relativePath),
    'content-length': String(file.size),
    'cache-control': target.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (request.method === 'HEAD') {
    response.end();
    return 200;
  }
  await pipeline(createReadStream(file.path), response);
  return 200;
}

/** The file, only if it is a regular file really inside the directory (no symlink out of it). */
async function findFile(
  root: string,
  relativePath: string,
): Promise<{ path: string; size: number } | undefined> {
  try {
    const realRoot = await realpath(root);
    const path = await realpath(join(realRoot, relativePath));
    if (!path.startsWith(realRoot + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}
