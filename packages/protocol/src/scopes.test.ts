import { describe, expect, it } from 'vitest';
import { botTokenScopes, reachesAllChats, scopesAllow, scopesGranting } from './scopes.ts';

describe('agent API scopes', () => {
  it('lets a token without a scope list call everything', () => {
    expect(scopesAllow('agent', 'ban_customer', undefined)).toBe(true);
  });

  it('reads chats with a read or a write scope, writes them only with a write scope', () => {
    expect(scopesAllow('agent', 'get_chat', ['chats--access:ro'])).toBe(true);
    expect(scopesAllow('agent', 'list_chats', ['chats--all:rw'])).toBe(true);
    expect(scopesAllow('agent', 'send_event', ['chats--access:ro'])).toBe(false);
    expect(scopesAllow('agent', 'send_event', ['chats--access:rw'])).toBe(true);
    expect(scopesAllow('agent', 'transfer_chat', ['customers:rw'])).toBe(false);
  });

  it('keeps customers, bans, routing statuses and multicast apart', () => {
    expect(scopesAllow('agent', 'get_customer', ['customers:ro'])).toBe(true);
    expect(scopesAllow('agent', 'update_customer', ['customers:ro'])).toBe(false);
    expect(scopesAllow('agent', 'ban_customer', ['customers:rw'])).toBe(false);
    expect(scopesAllow('agent', 'set_routing_status', ['agents-bot--my:rw'])).toBe(true);
    expect(scopesAllow('agent', 'multicast', ['chats--all:rw'])).toBe(false);
  });

  it('asks nothing of session methods and of the customer API', () => {
    expect(scopesGranting('agent', 'login')).toBeUndefined();
    expect(scopesGranting('customer', 'send_event')).toBeUndefined();
  });
});

describe('chats--all against chats--access', () => {
  const administrator = 'administrator';

  it('reaches every chat with chats--all: reads with :ro, reads and writes with :rw', () => {
    const readOnly = ['chats--all:ro', 'chats--access:rw'];
    expect(reachesAllChats('list_chats', readOnly, administrator)).toBe(true);
    expect(reachesAllChats('list_archives', readOnly, administrator)).toBe(true);
    expect(reachesAllChats('send_event', readOnly, administrator)).toBe(false);
    expect(reachesAllChats('send_event', ['chats--all:rw'], 'owner')).toBe(true);
    expect(reachesAllChats('transfer_chat', ['chats--all:rw'], 'viceowner')).toBe(true);
  });

  it('keeps chats--access, unlimited tokens and normal agents within their groups', () => {
    expect(reachesAllChats('get_chat', ['chats--access:rw'], administrator)).toBe(false);
    expect(reachesAllChats('get_chat', undefined, 'owner')).toBe(false);
    expect(reachesAllChats('get_chat', ['chats--all:rw'], 'normal')).toBe(false);
    expect(reachesAllChats('get_customer', ['chats--all:rw', 'customers:rw'], 'owner')).toBe(false);
  });
});

describe('bot tokens', () => {
  it('carry what the bot example does and nothing to configure the organization', () => {
    for (const method of [
      'send_event',
      'get_chat',
      'transfer_chat',
      'set_routing_status',
    ] as const) {
      expect(scopesAllow('agent', method, botTokenScopes), method).toBe(true);
    }
    expect(scopesAllow('agent', 'multicast', botTokenScopes)).toBe(false);
    expect(scopesAllow('agent', 'ban_customer', botTokenScopes)).toBe(false);
    expect(scopesAllow('configuration', 'create_group', botTokenScopes)).toBe(false);
    expect(scopesAllow('configuration', 'register_webhook', botTokenScopes)).toBe(false);
    expect(reachesAllChats('get_chat', botTokenScopes, 'administrator')).toBe(false);
  });
});
