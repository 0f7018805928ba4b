import { methodCatalog } from './catalog.ts';
import { configurationScopes, configurationScopesGranting } from './configuration-scopes.ts';
import type { Api } from './methods/define.ts';
import type { MethodName } from './methods.ts';

/**
 * The Agent Chat API's OAuth scopes (the Configuration API's are in configuration-scopes.ts) (LiveChat 3.6: "Scopes" of each method). A bearer token may
 * be limited to some of them; a method needs one of the scopes listed for it. A `:rw` scope grants
 * what its `:ro` twin does. Methods with none (sessions, the license) need no scope.
 */
const chatsRead = ['chats--all:ro', 'chats--access:ro', 'chats--all:rw', 'chats--access:rw'];
const chatsWrite = ['chats--all:rw', 'chats--access:rw'];
const customersRead = ['customers:ro', 'customers:rw'];
const customersWrite = ['customers:rw'];

/** Chat methods the gateway answers itself (the rest are told by their owner, chat-store). */
const otherMethodScopes: Partial<Record<MethodName, readonly string[]>> = {
  list_agents_for_transfer: chatsRead,
  transfer_chat: chatsWrite,
  upload_file: chatsWrite,
  get_customer: customersRead,
  list_customers: customersRead,
  create_customer: customersWrite,
  update_customer: customersWrite,
  follow_customer: customersWrite,
  unfollow_customer: customersWrite,
  ban_customer: ['customers.ban:rw'],
  set_routing_status: [
    'agents--my:rw',
    'agents--all:rw',
    'agents-bot--my:rw',
    'agents-bot--all:rw',
  ],
  list_routing_statuses: [
    'agents--all:ro',
    'agents--all:rw',
    'agents-bot--all:ro',
    'agents-bot--all:rw',
  ],
  multicast: ['multicast:rw'],
};

function agentMethodScopes(method: MethodName): readonly string[] | undefined {
  switch (methodCatalog[method].owner) {
    case 'chat-store':
      return chatsWrite;
    case 'chat-store-query':
      return chatsRead;
    default:
      return otherMethodScopes[method];
  }
}

/** Every scope the Agent Chat API knows. */
export const agentScopes: readonly string[] = [
  ...new Set([...chatsRead, ...Object.values(otherMethodScopes).flatMap((scopes) => scopes ?? [])]),
];

/** Every scope a Threadline token may carry: the Agent Chat and Configuration APIs'. */
export const knownScopes: readonly string[] = [
  ...new Set([...agentScopes, ...configurationScopes]),
];

/**
 * What `issue_bot_token` gives (LiveChat 3.6: "The token has the following scopes that allow
 * chatting"): enough to chat, transfer and set its own routing status, nothing to configure.
 */
export const botTokenScopes: readonly string[] = [
  'chats--access:rw',
  'agents-bot--my:rw',
  'customers:rw',
];

/** The scopes of which a token needs one to call `method` on `api`; undefined: none needed. */
export function scopesGranting(api: Api, method: MethodName): readonly string[] | undefined {
  switch (api) {
    case 'agent':
      return agentMethodScopes(method);
    case 'configuration':
      return configurationScopesGranting(method);
    case 'customer':
      return undefined;
  }
}

/** Whether a token limited to `scopes` (undefined: not limited) may call `method` on `api`. */
export function scopesAllow(
  api: Api,
  method: MethodName,
  scopes: readonly string[] | undefined,
): boolean {
  const granting = scopesGranting(api, method);
  return !scopes || !granting || granting.some((scope) => scopes.includes(scope));
}

/** Roles LiveChat lets hold `chats--all:*` (its scope list: "role: administrator" and above). */
const allChatsRoles: ReadonlySet<string> = new Set(['owner', 'viceowner', 'administrator']);

/**
 * Whether `method` reaches every chat of the organization rather than only the chats of the
 * requester's groups (and those it is in): LiveChat's `chats--all` against `chats--access`. It
 * does when the token names a `chats--all` scope that grants the method (`:ro` reads, `:rw` reads
 * and writes) and the holder's role may hold it. A token without a scope list (a personal access
 * token, a bearer token issued without `--scopes`) acts as the agent in its own app does: within
 * its groups. Reaching further is asked for by name.
 */
export function reachesAllChats(
  method: MethodName,
  scopes: readonly string[] | undefined,
  role: string | undefined,
): boolean {
  if (!scopes || !role || !allChatsRoles.has(role)) return false;
  const granting = agentMethodScopes(method) ?? [];
  return granting.some((scope) => scope.startsWith('chats--all:') && scopes.includes(scope));
}
