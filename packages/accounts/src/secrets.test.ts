import { describe, expect, it } from 'vitest';
import { basicCredentials, hashSecret, newSecretToken, parseCredentials } from './secrets.ts';

describe('parseCredentials', () => {
  it('reads Basic credentials whose secret itself contains colons', () => {
    const header = `Basic ${basicCredentials('5f1c0e2a-0000-4000-8000-000000000001', 'dal:abc:def')}`;
    expect(parseCredentials(header)).toEqual({
      scheme: 'basic',
      accountId: '5f1c0e2a-0000-4000-8000-000000000001',
      secret: 'dal:abc:def',
    });
  });

  it('reads Bearer tokens with any capitalisation of the scheme', () => {
    expect(parseCredentials('bearer dal:xyz')).toEqual({ scheme: 'bearer', token: 'dal:xyz' });
  });

  it('rejects missing, unknown and malformed values', () => {
    expect(parseCredentials(undefined)).toBeUndefined();
    expect(parseCredentials('Token abc')).toBeUndefined();
    expect(parseCredentials('Bearer')).toBeUndefined();
    expect(parseCredentials(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(parseCredentials(`Basic ${Buffer.from('id:').toString('base64')}`)).toBeUndefined();
  });
});

describe('secret tokens', () => {
  it('are distinct, prefixed like LiveChat tokens, and hashed deterministically', () => {
    const first = newSecretToken();
    const second = newSecretToken();
    expect(first).toMatch(/^dal:[A-Za-z0-9_-]{43}$/);
    expect(first).not.toEqual(second);
    expect(hashSecret(first)).toEqual(hashSecret(first));
    expect(hashSecret(first)).not.toEqual(hashSecret(second));
  });
});
