import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { CheckWebhookUrl } from '../../application/ports.ts';
import { type Network, refusedRange } from '../../domain/address-policy.ts';

export type Resolution =
  | { type: 'allowed'; addresses: LookupAddress[] }
  | { type: 'refused'; reason: string }
  | { type: 'unresolved'; reason: string };

/**
 * Resolves a webhook URL's host and says whether every address it names may receive webhooks.
 * Rejects with the signal's reason when it aborts first (the lookup itself cannot be cancelled).
 */
export type AddressGuard = (hostname: string, signal?: AbortSignal) => Promise<Resolution>;

/** A registration waits this long for DNS, well within the caller's request timeout. */
const registrationLookupMs = 5_000;

/**
 * Every address a name resolves to must be allowed, not just one: which of them a connection
 * uses is not ours to choose, so one private address among public ones is enough to refuse.
 */
export function createAddressGuard(
  allowed: readonly Network[],
  resolve: (hostname: string) => Promise<LookupAddress[]> = (hostname) =>
    lookup(hostname, { all: true, order: 'verbatim' }),
): AddressGuard {
  return async (hostname, signal) => {
    const host = hostname.replace(/^\[(.*)\]$/, '$1');
    const family = isIP(host.split('%')[0]!);
    let addresses: LookupAddress[];
    if (family) {
      addresses = [{ address: host, family }];
    } else {
      try {
        addresses = await (signal ? untilAborted(resolve(host), signal) : resolve(host));
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
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
export function createWebhookUrlCheck(
  guard: AddressGuard,
  lookupMs = registrationLookupMs,
): CheckWebhookUrl {
  return async (url) => {
    let hostname: string;
    try {
      hostname = new URL(url).hostname;
    } catch {
      return 'not a valid URL';
    }
    const resolution = await guard(hostname, AbortSignal.timeout(lookupMs)).catch(() => undefined);
    if (!resolution) return `${hostname} did not resolve within ${lookupMs} ms`;
    return resolution.type === 'allowed' ? undefined : resolution.reason;
  };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
