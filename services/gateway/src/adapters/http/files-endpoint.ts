import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProtocolError, type UploadedFile } from '@threadline/protocol';
import type { FileLinks, FileStore } from '../../application/files.ts';
import { checkFileLink } from '../../domain/file-links.ts';
import { maxUploadBytes } from '../../domain/files.ts';
import { readBody } from './body.ts';
import { readMultipartFiles } from './multipart.ts';
import { sendError } from './respond.ts';

/** Types a browser may show inline from our origin; anything else downloads (no stored XSS). */
const inlineTypes = /^(image\/(png|gif|jpeg|webp)|application\/pdf|text\/plain|audio\/|video\/)/;

/**
 * `GET /files/<organization_id>/<file_id>/<name>?…`: a signed link (`domain/file-links.ts`),
 * from `upload_file` or a `file` event. Files are served to whoever holds such a link, as
 * LiveChat's CDN links are; a link we did not sign is `not_found` (whether the file exists is
 * not told), an expired upload link `authorization`.
 */
export async function serveFile(
  dependencies: { files: FileStore; fileLinks: FileLinks },
  response: ServerResponse,
  target: { organizationId: string; fileId: string },
  url: URL,
): Promise<number> {
  const { files, fileLinks } = dependencies;
  const link = checkFileLink(
    url.pathname,
    url.searchParams,
    fileLinks.keys,
    fileLinks.nowSeconds(),
  );
  if (link === 'expired') {
    sendError(response, new ProtocolError('authorization', 'This file link has expired'));
    return 403;
  }
  const found =
    link === 'valid'
      ? await files.read(target.organizationId, target.fileId).catch(() => undefined)
      : undefined;
  if (!found) {
    sendError(response, new ProtocolError('not_found', 'No such file'));
    return 404;
  }
  const { file, data } = found;
  const inline = inlineTypes.test(file.contentType);
  response.writeHead(200, {
    'content-type': file.contentType,
    'content-length': String(file.size),
    'content-disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
    'cache-control': 'private, max-age=86400',
  });
  await pipeline(Readable.fromWeb(data as import('node:stream/web').ReadableStream), response);
  return 200;
}

/**
 * The `upload_file` payload from a multipart body (field `file`). The body may hold the largest
 * allowed file plus the multipart envelope; more is `entity_too_large`.
 */
export async function readUpload(request: IncomingMessage, baseUrl: string): Promise<unknown> {
  const body = await readBody(request, maxUploadBytes + 64 * 1024);
  const file = readMultipartFiles(body, request.headers['content-type']).find(
    (part) => part.fieldName === 'file',
  );
  if (!file) return {};
  const upload: UploadedFile = {
    name: file.fileName,
    content_type: file.contentType,
    data: file.data as Uint8Array<ArrayBuffer>,
    base_url: baseUrl,
  };
  return { file: upload };
}

/** Where this request reached us: an operator's `PUBLIC_URL`, else the request's own host. */
export function requestBaseUrl(request: IncomingMessage, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const forwarded = request.headers['x-forwarded-proto'];
  const protocol =
    (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim() ||
    ('encrypted' in request.socket ? 'https' : 'http');
  return `${protocol}://${request.headers.host ?? 'localhost'}`;
}
