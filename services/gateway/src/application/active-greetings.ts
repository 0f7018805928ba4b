import { type AccountsDatabase, type Greeting, listGreetings } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';

/**
 * How long a group's having no active greeting is believed. Greeting changes are not announced
 * (LiveChat has none to announce, and the CLI writes the table directly), so a greeting created
 * through another gateway or the CLI reaches this gateway's checks within this time; this
 * gateway's own changes forget the organization's answers at once. Only "none" is kept: a
 * greeting deactivated or deleted, by whatever means, is never offered from here.
 */
export const activeGreetingsTtlMs = 5_000;

/** Past this many cached groups, expired ones are dropped before another is added. */
const pruneAbove = 10_000;

/**
 * The active greetings of an organization's group. Every customer login and page asks, and most
 * groups have none: that answer is reused for `ttlMs`; any other is read afresh each time.
 * Concurrent asks share one query.
 */
export function createActiveGreetings(
  db: Kysely<AccountsDatabase>,
  options: { ttlMs?: number; now?: () => number } = {},
) {
  const ttlMs = options.ttlMs ?? activeGreetingsTtlMs;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { readAt: number; greetings: Promise<Greeting[]> }>();

  function prune(at: number): void {
    for (const [key, entry] of entries) if (at - entry.readAt >= ttlMs) entries.delete(key);
  }

  return {
    of(organizationId: string, groupId: number): Promise<Greeting[]> {
      const key = `${organizationId}:${groupId}`;
      const at = now();
      const cached = entries.get(key);
      if (cached && at - cached.readAt < ttlMs) return cached.greetings;
      if (entries.size >= pruneAbove) prune(at);
      const greetings = listGreetings(db, organizationId, { groupIds: [groupId], active: true });
      const entry = { readAt: at, greetings };
      entries.set(key, entry);
      // Greetings found, or a failed read, are not kept: the next ask reads again.
      const drop = () => {
        if (entries.get(key) === entry) entries.delete(key);
      };
      greetings.then((found) => {
        if (found.length > 0) drop();
      }, drop);
      return greetings;
    },
    /** This gateway changed the organization's greetings: read them afresh. */
    forget(organizationId: string): void {
      const prefix = `${organizationId}:`;
      for (const key of entries.keys()) if (key.startsWith(prefix)) entries.delete(key);
    },
  };
}

export type ActiveGreetings = ReturnType<typeof createActiveGreetings>;
