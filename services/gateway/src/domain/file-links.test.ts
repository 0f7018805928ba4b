import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkFileLink, type FileLinkKeys, parseFileLinkKeys, signFilePath } from './file-links.ts';

const secret = () => randomBytes(32).toString('base64');
const path = '/files/org/0f1e2d3c-0000-4000-8000-000000000000/photo%201.png';
const now = 1_800_000_000;

const query = (signed: string) => new URLSearchParams(signed.slice(1));

describe('file links', () => {
  const [oldKey] = parseFileLinkKeys(`old:${secret()}`);
  const [newKey] = parseFileLinkKeys(`new:${secret()}`);

  it('verifies a link until it expires; one without expiry stays valid', () => {
    const keys: FileLinkKeys = [oldKey];
    const expiring = signFilePath(path, keys, now + 60);
    expect(expiring).toMatch(/^\?expires=1800000060&key=old&signature=[\w-]{43}$/);
    expect(checkFileLink(path, query(expiring), keys, now)).toBe('valid');
    expect(checkFileLink(path, query(expiring), keys, now + 60)).toBe('expired');
    const lasting = signFilePath(path, keys);
    expect(checkFileLink(path, query(lasting), keys, now + 10 ** 9)).toBe('valid');
  });

  it('refuses another path, a moved expiry, a dropped expiry, and a signature from no key', () => {
    const keys: FileLinkKeys = [oldKey];
    const signed = query(signFilePath(path, keys, now + 60));
    expect(checkFileLink(path.replace('photo', 'other'), signed, keys, now)).toBe('invalid');
    const later = new URLSearchParams(signed);
    later.set('expires', String(now + 10 ** 6));
    expect(checkFileLink(path, later, keys, now)).toBe('invalid');
    const forever = new URLSearchParams(signed);
    forever.delete('expires');
    expect(checkFileLink(path, forever, keys, now)).toBe('invalid');
    expect(checkFileLink(path, new URLSearchParams(), keys, now)).toBe('invalid');
    const forged = query(signFilePath(path, [{ id: 'old', secret: randomBytes(32) }], now + 60));
    expect(checkFileLink(path, forged, keys, now)).toBe('invalid');
  });

  it('rotates: the first key signs, every listed key verifies, a removed key verifies nothing', () => {
    const before = query(signFilePath(path, [oldKey]));
    // Step 1: the new key is known everywhere before it signs.
    expect(checkFileLink(path, before, [oldKey, newKey], now)).toBe('valid');
    // Step 2: it signs; links of the old key still verify.
    const after = signFilePath(path, [newKey, oldKey]);
    expect(query(after).get('key')).toBe('new');
    expect(checkFileLink(path, query(after), [newKey, oldKey], now)).toBe('valid');
    expect(checkFileLink(path, before, [newKey, oldKey], now)).toBe('valid');
    // Step 3: the old key is gone, and with it its links.
    expect(checkFileLink(path, before, [newKey], now)).toBe('invalid');
    expect(checkFileLink(path, query(after), [newKey], now)).toBe('valid');
  });

  it('parses FILE_LINK_KEYS and refuses short secrets, bad entries and repeated ids', () => {
    const keys = parseFileLinkKeys(` k2:${secret()} , k1:${secret()} `);
    expect(keys.map((key) => key.id)).toEqual(['k2', 'k1']);
    expect(() => parseFileLinkKeys(`k:${randomBytes(16).toString('base64')}`)).toThrow(/32 bytes/);
    expect(() => parseFileLinkKeys('no-secret')).toThrow(/KEY_ID:BASE64_SECRET/);
    expect(() => parseFileLinkKeys(`k:${secret()},k:${secret()}`)).toThrow(/differ/);
    expect(() => parseFileLinkKeys(' , ')).toThrow(/at least one/);
  });
});
