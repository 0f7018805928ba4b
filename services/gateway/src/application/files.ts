import { randomUUID } from 'node:crypto';
import { type EventRequest, ProtocolError, type UploadedFile } from '@threadline/protocol';
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

/** `upload_file`: checks and stores the file, and answers the URL a `file` event will carry. */
export async function uploadFile(
  store: FileStore,
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
  return { url: upload.base_url + filePath(organizationId, file.id, name) };
}

/**
 * A `file` event as it is stored: the gateway, not the client, states `name`, `content_type`,
 * `size` (and an image's `width`/`height`) of a file uploaded here. A URL elsewhere keeps only
 * its name, taken from the URL; a URL of ours that names no stored file is `validation`.
 */
export async function describeFileEvent(
  store: FileStore,
  organizationId: string,
  event: Extract<EventRequest, { type: 'file' }>,
): Promise<EventRequest> {
  const { name: _name, content_type: _type, size: _size, width: _w, height: _h, ...rest } = event;
  const url = new URL(event.url);
  const target = parseFilePath(url.pathname);
  if (!target) return { ...rest, name: cleanFileName(decodeName(url.pathname)) };
  const file =
    target.organizationId === organizationId
      ? await store.info(organizationId, target.fileId)
      : undefined;
  if (!file) {
    throw new ProtocolError('validation', 'Wrong format of request: unknown file url');
  }
  return {
    ...rest,
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
export function createFileEventPreparer(store: FileStore) {
  const describe = async (organizationId: string, events: EventRequest[] | undefined) =>
    events &&
    Promise.all(
      events.map((event) =>
        event.type === 'file' ? describeFileEvent(store, organizationId, event) : event,
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
