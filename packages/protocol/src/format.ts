import { randomBytes, randomUUID } from 'node:crypto';

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomId(length: number): string {
  const bytes = randomBytes(length);
  let id = '';
  for (const byte of bytes) id += idAlphabet[byte % idAlphabet.length];
  return id;
}

/** Chat ids look like LiveChat's: 10 uppercase alphanumerics (`PJ0MRSHTDG`). */
export function newChatId(): string {
  return randomId(10);
}

/** Thread ids: 10 uppercase alphanumerics (`K600PKZON8`). */
export function newThreadId(): string {
  return randomId(10);
}

/** Event ids are `<thread_id>_<n>`, n counting from 1 within the thread. */
export function eventId(threadId: string, ordinal: number): string {
  return `${threadId}_${ordinal}`;
}

/** Customer ids are UUID v4, as LiveChat's. */
export function newCustomerId(): string {
  return randomUUID();
}

/**
 * RFC 3339 in UTC with microseconds (`2019-12-17T07:57:41.512000Z`), the protocol's timestamp
 * shape. JavaScript clocks tick in milliseconds, so the last three digits are zeros.
 */
export function formatTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, 23)}000Z`;
}
