import { findApiVersion } from '@threadline/protocol';

/** The login `pushes` filter: `{"3.6": ["incoming_chat", …], "3.7": ["all"]}`. */
export type PushFilter = Record<string, string[]>;

/**
 * In which versions a connection receives a push. Without a filter: every push, in the
 * connection's version. With one: each listed (and served) version that names the push or `all`.
 */
export function pushVersions(
  filter: PushFilter | undefined,
  connectionVersion: string,
  action: string,
): string[] {
  if (!filter || Object.keys(filter).length === 0) return [connectionVersion];
  return Object.entries(filter)
    .filter(([version, actions]) => findApiVersion(version) !== undefined && wants(actions, action))
    .map(([version]) => version);
}

function wants(actions: string[], action: string): boolean {
  return actions.includes('all') || actions.includes(action);
}
