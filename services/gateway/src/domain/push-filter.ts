import { findApiVersion } from '@threadline/protocol';

/** The login `pushes` filter: `{"3.6": ["incoming_chat", …], "3.7": ["all"]}`. */
export type PushFilter = Record<string, string[]>;

/**
 * In which versions a connection receives pushes. Without a filter: the connection's version.
 * With one: each listed version that Threadline serves.
 */
export function pushVersions(filter: PushFilter | undefined, connectionVersion: string): string[] {
  if (!filter || Object.keys(filter).length === 0) return [connectionVersion];
  return Object.keys(filter).filter((version) => findApiVersion(version) !== undefined);
}

/**
 * Whether the connection wants a push in one of its versions: always without a filter, else when
 * that version's list names the push (by that version's name for it) or `all`.
 */
export function wantsPush(
  filter: PushFilter | undefined,
  version: string,
  action: string,
): boolean {
  if (!filter || Object.keys(filter).length === 0) return true;
  const actions = filter[version] ?? [];
  return actions.includes('all') || actions.includes(action);
}
