import { methodCatalog } from './catalog.ts';
import type { Api } from './methods/define.ts';
import type { MethodName } from './methods.ts';

/**
 * The Agent Chat API's OAuth scopes (LiveChat 3.6: "Scopes" of each method). A bearer token may
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

/** The scopes of which a token needs one to call `method` on `api`; undefined: none needed. */
export function scopesGranting(api: Api, method: MethodName): readonly string[] | undefined {
  return api === 'agent' ? agentMethodScopes(method) : undefined;
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
