import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { parseNetworks } from '../../domain/address-policy.ts';
import { createAddressGuard, createWebhookUrlCheck } from './address-guard.ts';

const answering =
  (...addresses: string[]) =>
  async (): Promise<LookupAddress[]> =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('createAddressGuard', () => {
  it('allows a name whose every address is public, and returns them to connect to', async () => {
    const guard = createAddressGuard([], answering('93.184.215.14', '2606:2800:21f:cb07::1'));
    expect(await guard('hooks.example')).toEqual({
      type: 'allowed',
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07::1', family: 6 },
      ],
    });
  });

  it('refuses a name with one private address among public ones', async () => {
    const guard = createAddressGuard([], answering('93.184.215.14', '10.1.2.3'));
    expect(await guard('hooks.example')).toEqual({
      type: 'refused',
      reason: 'hooks.example resolves to 10.1.2.3, which is private',
    });
  });

  it('checks literal addresses without resolving them', async () => {
    const guard = createAddressGuard(parseNetworks('::1/128').networks, () => {
      throw new Error('must not resolve a literal');
    });
    expect(await guard('[::1]')).toEqual({
      type: 'allowed',
      addresses: [{ address: '::1', family: 6 }],
    });
    expect(await guard('[fe80::1]')).toEqual({ type: 'refused', reason: 'fe80::1 is link-local' });
    expect(await guard('127.0.0.1')).toEqual({ type: 'refused', reason: '127.0.0.1 is loopback' });
  });

  it('says when a name does not resolve', async () => {
    const failing = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    expect(await createAddressGuard([], failing)('hooks.example')).toEqual({
      type: 'unresolved',
      reason: 'hooks.example does not resolve (ENOTFOUND)',
    });
    expect(await createAddressGuard([], answering())('hooks.example')).toMatchObject({
      type: 'unresolved',
    });
  });

  it('gives up on a lookup when the signal aborts', async () => {
    const guard = createAddressGuard([], () => new Promise<LookupAddress[]>(() => {}));
    await expect(guard('slow.example', AbortSignal.timeout(20))).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const check = createWebhookUrlCheck(guard, 20);
    expect(await check('https://slow.example/hook')).toBe(
      'slow.example did not resolve within 20 ms',
    );
  });
});
