import type { Kysely } from 'kysely';
import type { ClientKind } from './clients.ts';
import type { AccountsDatabase } from './database.ts';
import { isUuid } from './validation.ts';

/**
 * LiveChat's communication channels (Configuration API `list_channels`), from what Threadline
 * knows: the clients customers came through. A widget client (`customer_widget`, the cookie
 * grant of a chat widget on a website) is LiveChat's `code` channel; a server client that brings
 * customers (the `agent_token` grant of a back end bridging another messenger) an `integration`.
 * Threadline hosts no chat page of its own, so there is never a `direct_link`. A channel's first
 * activity is the first customer token issued through it.
 */
export interface Channel {
  type: 'code' | 'integration';
  /** `''` for `code`; the client id of an integration. */
  subtype: string;
  firstActivityAt: Date;
}

/**
 * Notes a client's first customer, once: later calls change nothing (and write nothing, the row
 * no longer matches). Called whenever a customer token is issued for a client.
 */
export async function recordChannelActivity(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  clientId: string,
  at: Date,
): Promise<void> {
  await db
    .updateTable('clients')
    .set({ first_activity_at: at })
    .where('id', '=', clientId)
    .where('organization_id', '=', organizationId)
    .where('first_activity_at', 'is', null)
    .execute();
}

/** The organization's channels that have brought customers, the oldest first. */
export async function listChannels(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
): Promise<Channel[]> {
  if (!isUuid(organizationId)) return [];
  const rows = await db
    .selectFrom('clients')
    .select(['id', 'kind', 'first_activity_at'])
    .where('organization_id', '=', organizationId)
    .where('first_activity_at', 'is not', null)
    .execute();
  return channelsOf(
    rows.map((row) => ({
      id: row.id,
      kind: row.kind as ClientKind,
      firstActivityAt: row.first_activity_at as Date,
    })),
  );
}

/**
 * Channels from active clients: every widget client together is the one `code` channel (LiveChat
 * lists the website code once), active since the earliest of them; each server client is an
 * `integration` of its own.
 */
export function channelsOf(
  clients: readonly { id: string; kind: ClientKind; firstActivityAt: Date }[],
): Channel[] {
  const widgets = clients.filter((client) => client.kind === 'customer_widget');
  const code: Channel[] = widgets.length
    ? [{ type: 'code', subtype: '', firstActivityAt: earliest(widgets) }]
    : [];
  const integrations = clients
    .filter((client) => client.kind === 'server')
    .map(
      (client): Channel => ({
        type: 'integration',
        subtype: client.id,
        firstActivityAt: client.firstActivityAt,
      }),
    );
  return [...code, ...integrations].sort(
    (a, b) => a.firstActivityAt.getTime() - b.firstActivityAt.getTime(),
  );
}

function earliest(clients: readonly { firstActivityAt: Date }[]): Date {
  return new Date(Math.min(...clients.map((client) => client.firstActivityAt.getTime())));
}
