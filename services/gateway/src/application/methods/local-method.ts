import type { AccountsDatabase, Identity } from '@threadline/accounts';
import type { Subjects } from '@threadline/bus';
import type { Kysely } from '@threadline/postgres';
import type { Logger } from '@threadline/runtime';
import type { OriginCheck } from '../allowed-origins.ts';
import type { ConfigurationChanges } from '../configuration-changes.ts';
import type { DispatchRequest } from '../dispatcher.ts';
import type { FileLinks, FileStore } from '../files.ts';
import type { GreetingOffers } from '../greeting-offers.ts';
import type { PushPublisher, Services } from '../ports.ts';
import type { RtmSessions } from '../rtm-sessions.ts';

/**
 * A method the gateway answers itself (owner `gateway` in the protocol catalog), because its data
 * is the gateway's own: the accounts schema (configuration, customers, tokens). The payload has been
 * validated against the method's schema and the caller checked against the API.
 */
export type LocalMethod = (call: {
  request: DispatchRequest;
  identity: Identity | undefined;
  payload: unknown;
}) => Promise<unknown>;

/** What local methods may use; each area module takes what it needs of it. */
export interface LocalMethodDependencies {
  db: Kysely<AccountsDatabase>;
  services: Services;
  subjects: Subjects;
  logger: Logger;
  /** Pushes the gateway causes itself (customer updates, bans, multicasts). */
  pushes: PushPublisher;
  /** This gateway's RTM connections, for the session methods. */
  sessions: RtmSessions;
  /** Uploaded files (`upload_file`). */
  files: FileStore;
  /** The keys `upload_file` signs its links with. */
  fileLinks: FileLinks;
  /** Configuration API changes: organization-wide pushes and the durable change stream. */
  configurationChanges: ConfigurationChanges;
  /** Greetings a customer's page may show (`update_customer_page`). */
  greetings: GreetingOffers;
  /** The organization's allowed domains (`get_configuration`, `get_dynamic_configuration`). */
  originCheck: Pick<OriginCheck, 'allowedDomains'>;
}

export type LocalMethods = Partial<Record<string, LocalMethod>>;
