import { randomUUID } from 'node:crypto';
import { type EventRequest, ProtocolError, type UploadedFile } from '@threadline/protocol';
import {
  checkFileLink,
  type FileLinkKeys,
  signFilePath,
  uploadLinkSeconds,
} from '../domain/file-links.ts';
import {
  cleanFileName,
  filePath,
  imageSize,
  isExecutable,
  maxUploadBytes,
  parseFilePath,
} from '../domain/files.ts';

/** A stored upload, as `file` events describe it. */
export interface StoredFile {
  organizationId: string;
  id: string;
  name: string;
  contentType: string;
  size: number;
  width?: number | undefined;
  height?: number | undefined;
}

/** Where uploads live (NATS JetStream object storage: `adapters/nats/file-store.ts`). */
export interface FileStore {
  put(file: StoredFile, data: Uint8Array): Promise<void>;
  info(organizationId: string, fileId: string): Promise<StoredFile | undefined>;
  read(
    organizationId: string,
    fileId: string,
  ): Promise<{ file: StoredFile; data: ReadableStream<Uint8Array> } | undefined>;
}

/** The keys file links are signed with (`domain/file-links.ts`), and the clock they expire by. */
export interface FileLinks {
  keys: FileLinkKeys;
  nowSeconds(): number;
}

export function createFileLinks(keys: FileLinkKeys): FileLinks {
  return { keys, nowSeconds: () => Math.floor(Date.now() / 1000) };
}

/**
 * `upload_file`: checks and stores the file, and answers a signed link valid for 24 hours; a
 * `file` event sending it gets a lasting one (`describeFileEvent`).
 */
export async function uploadFile(
  store: FileStore,
  links: FileLinks,
  organizationId: string,
  upload: UploadedFile,
): Promise<{ url: string }> {
  if (upload.data.byteLength > maxUploadBytes) {
    throw new ProtocolError('entity_too_large', `Files may be at most ${maxUploadBytes} bytes`);
  }
  const name = cleanFileName(upload.name);
  const contentType = upload.content_type || 'application/octet-stream';
  if (isExecutable(name, contentType, upload.data)) {
    throw new ProtocolError(
      'validation',
      'Wrong format of request: executable files are not allowed',
    );
  }
  const file: StoredFile = {
    organizationId,
    id: randomUUID(),
    name,
    contentType,
    size: upload.data.byteLength,
    ...imageSize(upload.data),
  };
  await store.put(file, upload.data);
  const path = filePath(organizationId, file.id, name);
  const expires = links.nowSeconds() + uploadLinkSeconds;
  return { url: upload.base_url + path + signFilePath(path, links.keys, expires) };
}

/**
 * A `file` event as it is stored: the gateway, not the client, states `name`, `content_type`,
 * `size` (and an image's `width`/`height`) of a file uploaded here. A URL elsewhere keeps only
 * its name, taken from the URL. A URL of ours must be a link we signed, unexpired, to a stored
 * file of the organization, else `validation`; the event carries it as a lasting link (chat
 * history outlives the upload link's 24 hours).
 */
export async function describeFileEvent(
  store: FileStore,
  links: FileLinks,
  organizationId: string,
  event: Extract<EventRequest, { type: 'file' }>,
): Promise<EventRequest> {
  const { name: _name, content_type: _type, size: _size, width: _w, height: _h, ...rest } = event;
  const url = new URL(event.url);
  const target = parseFilePath(url.pathname);
  if (!target) return { ...rest, name: cleanFileName(decodeName(url.pathname)) };
  const link = checkFileLink(url.pathname, url.searchParams, links.keys, links.nowSeconds());
  if (link === 'expired') {
    throw new ProtocolError('validation', 'Wrong format of request: the file url has expired');
  }
  const file =
    link === 'valid' && target.organizationId === organizationId
      ? await store.info(organizationId, target.fileId)
      : undefined;
  if (!file) {
    throw new ProtocolError('validation', 'Wrong format of request: unknown file url');
  }
  return {
    ...rest,
    url: url.origin + url.pathname + signFilePath(url.pathname, links.keys),
    name: file.name,
    content_type: file.contentType,
    size: file.size,
    ...(file.width !== undefined ? { width: file.width, height: file.height } : {}),
  };
}

function decodeName(pathname: string): string {
  const last = pathname.split('/').pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/**
 * Gives every `file` event of a request its stored description before the command leaves the
 * gateway: `send_event`, and the thread events of `start_chat` / `resume_chat`.
 */
export function createFileEventPreparer(store: FileStore, links: FileLinks) {
  const describe = async (organizationId: string, events: EventRequest[] | undefined) =>
    events &&
    Promise.all(
      events.map((event) =>
        event.type === 'file' ? describeFileEvent(store, links, organizationId, event) : event,
      ),
    );

  return async function prepare(
    method: string,
    organizationId: string | undefined,
    payload: unknown,
  ): Promise<unknown> {
    if (!organizationId) return payload;
    if (method === 'send_event') {
      const body = payload as { event: EventRequest };
      const [event] = (await describe(organizationId, [body.event])) ?? [];
      return { ...body, event };
    }
    if (method === 'start_chat' || method === 'resume_chat') {
      const body = payload as { chat?: { thread?: { events?: EventRequest[] } } };
      const events = body.chat?.thread?.events;
      if (!events?.some((event) => event.type === 'file')) return payload;
      const thread = { ...body.chat?.thread, events: await describe(organizationId, events) };
      return { ...body, chat: { ...body.chat, thread } };
    }
    return payload;
  };
}
