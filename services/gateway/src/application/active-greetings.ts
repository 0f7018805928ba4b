import { type AccountsDatabase, type Greeting, listGreetings } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import { createExpiringAnswers } from './expiring-answers.ts';

/**
 * How long a group's having no active greeting is believed. Greeting changes are not announced
 * (LiveChat has none to announce, and the CLI writes the table directly), so a greeting created
 * through another gateway or the CLI reaches this gateway's checks within this time; this
 * gateway's own changes forget the organization's answers at once. Only "none" is kept: a
 * greeting deactivated or deleted, by whatever means, is never offered from here.
 */
export const activeGreetingsTtlMs = 5_000;

/**
 * The active greetings of an organization's group. Every customer login and page asks, and most
 * groups have none: that answer is reused for `ttlMs`; any other is read afresh each time.
 */
export function createActiveGreetings(
  db: Kysely<AccountsDatabase>,
  options: { ttlMs?: number } = {},
) {
  const answers = createExpiringAnswers<Greeting[]>({
    ttlMs: options.ttlMs ?? activeGreetingsTtlMs,
    keep: (greetings) => greetings.length === 0,
  });
  return {
    of(organizationId: string, groupId: number): Promise<Greeting[]> {
      return answers.get(`${organizationId}:${groupId}`, () =>
        listGreetings(db, organizationId, { groupIds: [groupId], active: true }),
      );
    },
    /** This gateway changed the organization's greetings: read them afresh. */
    forget(organizationId: string): void {
      answers.forget(`${organizationId}:`);
    },
  };
}

export type ActiveGreetings = ReturnType<typeof createActiveGreetings>;
