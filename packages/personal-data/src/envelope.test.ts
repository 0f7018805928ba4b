import { describe, expect, it } from 'vitest';
import { decrypt, encrypt, newDataKey, SealBrokenError } from './envelope.ts';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

describe('crypto envelope', () => {
  it('opens what it sealed, with the same key and context', () => {
    const key = newDataKey();
    const sealed = encrypt(key, Buffer.from('Hello, I am Carol'), 'org/customer');
    expect(text(decrypt(key, sealed, 'org/customer'))).toBe('Hello, I am Carol');
  });

  it('seals the same text differently each time (fresh nonce)', () => {
    const key = newDataKey();
    const first = encrypt(key, Buffer.from('same'), 'c');
    const second = encrypt(key, Buffer.from('same'), 'c');
    expect(first.equals(second)).toBe(false);
    expect(first.includes(Buffer.from('same'))).toBe(false);
  });

  it('refuses a wrong key', () => {
    const sealed = encrypt(newDataKey(), Buffer.from('secret'), 'c');
    expect(() => decrypt(newDataKey(), sealed, 'c')).toThrow(SealBrokenError);
  });

  it('refuses another context (a value moved to another customer)', () => {
    const key = newDataKey();
    const sealed = encrypt(key, Buffer.from('secret'), 'org/carol');
    expect(() => decrypt(key, sealed, 'org/mallory')).toThrow(SealBrokenError);
  });

  it('refuses tampered bytes, in the ciphertext, the tag or the nonce', () => {
    const key = newDataKey();
    const sealed = encrypt(key, Buffer.from('secret message'), 'c');
    for (const index of [0, 12, sealed.length - 1]) {
      const tampered = Buffer.from(sealed);
      tampered[index] = (tampered[index] ?? 0) ^ 0x01;
      expect(() => decrypt(key, tampered, 'c')).toThrow(SealBrokenError);
    }
    expect(() => decrypt(key, sealed.subarray(0, 20), 'c')).toThrow(SealBrokenError);
  });
});
