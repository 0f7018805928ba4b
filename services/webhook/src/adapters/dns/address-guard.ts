import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CheckWebhookUrl } from '../../application/ports.ts';
import { type Network, refusedRange } from '../../domain/address-policy.ts';

export type Resolution =
  | { type: 'allowed'; addresses: LookupAddress[] }
  | { type: 'refused'; reason: string }
  | { type: 'unresolved'; reason: string };

/** Resolves a webhook URL's host and says whether every address it names may receive webhooks. */
export type AddressGuard = (hostname: string) => Promise<Resolution>;

/**
 * Every address a name resolves to must be allowed, not just one: which of them a connection
 * uses is not ours to choose, so one private address among public ones is enough to refuse.
 */
export function createAddressGuard(
  allowed: readonly Network[],
  resolve: (hostname: string) => Promise<LookupAddress[]> = (hostname) =>
    lookup(hostname, { all: true, order: 'verbatim' }),
): AddressGuard {
  return async (hostname) => {
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host.split('%')[0]!);
    let addresses: LookupAddress[];
    if (family) {
      addresses = [{ address: host, family }];
    } else {
      try {
        addresses = await resolve(host);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? String(error);
        return { type: 'unresolved', reason: `${host} does not resolve (${code})` };
      }
    }
    if (addresses.length === 0) {
      return { type: 'unresolved', reason: `${host} does not resolve` };
    }
    for (const { address } of addresses) {
      const range = refusedRange(address, allowed);
      if (range) {
        const reason = family
          ? `${host} is ${range}`
          : `${host} resolves to ${address}, which is ${range}`;
        return { type: 'refused', reason };
      }
    }
    return { type: 'allowed', addresses };
  };
}

/** `register_webhook`'s check: the reason a URL's host is refused or does not resolve. */
export function createWebhookUrlCheck(guard: AddressGuard): CheckWebhookUrl {
  return async (url) => {
    let hostname: string;
    try {
      hostname = new URL(url).hostname;
    } catch {
      return 'not a valid URL';
    }
    const resolution = await guard(hostname);
    return resolution.type === 'allowed' ? undefined : resolution.reason;
  };
}
