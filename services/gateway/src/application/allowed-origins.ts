import {
  type AccountsDatabase,
  allowedDomainsProperty,
  listLicenseProperties,
} from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { ProtocolError } from '@threadline/protocol';
import { isOriginAllowed, parseAllowedDomains } from '../domain/allowed-origins.ts';

/** Organizations remembered at most; past it the cache starts over (ids in URLs are anyone's). */
const maxCachedOrganizations = 10_000;

/**
 * Organizations' allowed domains, read from their license property and remembered for `cacheMs`
 * (a change reaches every gateway within that time), and the check of a customer's `Origin`.
 */
export function createOriginCheck(options: {
  db: Kysely<AccountsDatabase>;
  cacheMs: number;
  onRefused: () => void;
  clock?: () => number;
}) {
  const { db, cacheMs, onRefused, clock = Date.now } = options;
  const cache = new Map<string, { domains: Promise<string[]>; until: number }>();

  function allowedDomains(organizationId: string): Promise<string[]> {
    const now = clock();
    const cached = cache.get(organizationId);
    if (cached && cached.until > now) return cached.domains;
    if (cache.size >= maxCachedOrganizations) cache.clear();
    const { namespace, name } = allowedDomainsProperty;
    const domains = listLicenseProperties(db, organizationId, { namespace }).then((values) =>
      parseAllowedDomains(values[namespace]?.[name]),
    );
    // A failed read is not remembered: the next request tries again.
    domains.catch(() => cache.delete(organizationId));
    cache.set(organizationId, { domains, until: now + cacheMs });
    return domains;
  }

  /** Refuses (`authorization`) a browser origin outside the organization's allowed domains. */
  async function requireAllowedOrigin(
    organizationId: string,
    origin: string | undefined,
  ): Promise<void> {
    if (origin === undefined) return;
    if (isOriginAllowed(origin, await allowedDomains(organizationId))) return;
    onRefused();
    throw new ProtocolError(
      'authorization',
      `Origin ${origin} is not among the organization's allowed domains`,
    );
  }

  return { allowedDomains, requireAllowedOrigin };
}

export type OriginCheck = ReturnType<typeof createOriginCheck>;
