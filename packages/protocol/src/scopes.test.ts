import { describe, expect, it } from 'vitest';
import { scopesAllow, scopesGranting } from './scopes.ts';

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

  it('asks nothing of session methods and of the other APIs', () => {
    expect(scopesGranting('agent', 'login')).toBeUndefined();
    expect(scopesGranting('customer', 'send_event')).toBeUndefined();
    expect(scopesAllow('configuration', 'create_group', [])).toBe(true);
  });
});
