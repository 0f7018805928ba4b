import type { AccountsDatabase, Identity } from '@threadline/accounts';
import type { Subjects } from '@threadline/bus';
import type { Kysely } from '@threadline/postgres';
import type { Logger } from '@threadline/runtime';
import type { DispatchRequest } from '../dispatcher.ts';
import type { Services } from '../ports.ts';

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
}

export type LocalMethods = Partial<Record<string, LocalMethod>>;
