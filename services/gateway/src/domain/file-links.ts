import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links to uploaded files. A file is served only at a link this platform signed:
 * `/files/<organization>/<file>/<name>?key=<key id>&signature=<HMAC>` plus `&expires=<unix s>`
 * on the link `upload_file` answers (spec: "temp, 24 h unless used"). Sending the file in an
 * event uses it: the event carries a link without expiry, valid as long as the key that signed
 * it is configured, since chat history, transcripts and webhook receivers fetch attachments long
 * after the chat (LiveChat's CDN links in events do not expire either).
 *
 * Keys rotate without downtime: the current key signs, every configured key verifies (the link
 * names its key). Rotation, on every gateway: (1) add the new key after the current one, so all
 * can verify it before any signs with it; (2) move it first, so it signs; (3) remove the old key
 * when the links it signed may die (a leaked key: at once, which ends every link it signed).
 */

export interface SigningKey {
  /** Short name carried in links (`key=`), so verification needs no trial of every key. */
  id: string;
  secret: Buffer;
}

/** The first signs; all verify. */
export type FileLinkKeys = readonly [SigningKey, ...SigningKey[]];

/** How long the link `upload_file` answers is valid, unless the file is sent in an event. */
export const uploadLinkSeconds = 24 * 60 * 60;

/** Below this a secret is guessable offline from one signed link. */
const minimumSecretBytes = 32;

/**
 * `FILE_LINK_KEYS`: `id:base64secret,id:base64secret`, the signing key first. Throws a message
 * naming the entry that is wrong.
 */
export function parseFileLinkKeys(text: string): FileLinkKeys {
  const keys = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^([A-Za-z0-9_-]{1,32}):([A-Za-z0-9+/=_-]+)$/.exec(entry);
      const secret = match && Buffer.from(match[2]!, 'base64');
      if (!match || !secret || secret.length < minimumSecretBytes) {
        throw new Error(
          `expected KEY_ID:BASE64_SECRET with at least ${minimumSecretBytes} bytes of secret, got "${entry.split(':')[0]}:…"`,
        );
      }
      return { id: match[1]!, secret };
    });
  const [first, ...rest] = keys;
  if (!first) throw new Error('at least one key is needed');
  if (new Set(keys.map((key) => key.id)).size !== keys.length) {
    throw new Error('key ids must differ');
  }
  return [first, ...rest];
}

/** The query string (`?key=…&signature=…[&expires=…]`) that makes `path` a link we serve. */
export function signFilePath(path: string, keys: FileLinkKeys, expiresAtSeconds?: number): string {
  const [key] = keys;
  const query = new URLSearchParams();
  if (expiresAtSeconds !== undefined) query.set('expires', String(expiresAtSeconds));
  query.set('key', key.id);
  query.set('signature', signature(key, path, expiresAtSeconds));
  return `?${query.toString()}`;
}

export type FileLinkCheck = 'valid' | 'expired' | 'invalid';

/** Whether `path` with `query` is a link one of `keys` signed, and still within its expiry. */
export function checkFileLink(
  path: string,
  query: URLSearchParams,
  keys: FileLinkKeys,
  nowSeconds: number,
): FileLinkCheck {
  const key = keys.find((candidate) => candidate.id === query.get('key'));
  const given = query.get('signature');
  const expiresText = query.get('expires');
  const expires = expiresText === null ? undefined : Number(expiresText);
  if (!key || !given || (expires !== undefined && !Number.isSafeInteger(expires))) {
    return 'invalid';
  }
  const expected = Buffer.from(signature(key, path, expires));
  const actual = Buffer.from(given);
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return 'invalid';
  return expires !== undefined && expires <= nowSeconds ? 'expired' : 'valid';
}

function signature(key: SigningKey, path: string, expires: number | undefined): string {
  // The path is the one `filePath` builds (encoded): the same bytes on signing and checking.
  return createHmac('sha256', key.secret)
    .update(`${path}\n${expires ?? ''}`)
    .digest('base64url');
}
