import { describe, expect, it } from 'vitest';
import { configurationTargetsAllowed } from './configuration-scopes.ts';
import { scopesAllow, scopesGranting } from './scopes.ts';

const me = { userId: 'ann@first.test', groupIds: [0, 3] };

describe('Configuration API scopes', () => {
  it('asks each method for its documented scope, a wider one granting a narrower', () => {
    expect(scopesAllow('configuration', 'register_webhook', ['webhooks.configuration:rw'])).toBe(
      true,
    );
    expect(scopesAllow('configuration', 'register_webhook', ['webhooks--all:rw'])).toBe(false);
    expect(scopesAllow('configuration', 'create_group', ['groups--my:rw'])).toBe(false);
    expect(scopesAllow('configuration', 'create_group', ['groups--all:rw'])).toBe(true);
    expect(scopesAllow('configuration', 'list_groups', ['groups--all:rw'])).toBe(true);
    expect(scopesAllow('configuration', 'get_agent', ['agents--all:ro'])).toBe(true);
    expect(scopesAllow('configuration', 'update_agent', ['agents--my:ro'])).toBe(false);
    expect(scopesAllow('configuration', 'list_tags', ['tags--all:rw'])).toBe(true);
  });

  it('needs no scope where LiveChat lists none, and nothing of unlimited tokens', () => {
    expect(scopesGranting('configuration', 'issue_bot_token')).toBeUndefined();
    expect(scopesGranting('configuration', 'list_webhook_names')).toBeUndefined();
    expect(scopesAllow('configuration', 'delete_group', undefined)).toBe(true);
  });

  it('lets a --my scope reach only its own agent and groups', () => {
    const mine = ['agents--my:rw', 'groups--my:rw'];
    const allowed = (method: 'update_agent' | 'update_group', id: unknown) =>
      configurationTargetsAllowed(method, mine, me, { id });
    expect(allowed('update_agent', me.userId)).toBe(true);
    expect(allowed('update_agent', 'tom@first.test')).toBe(false);
    expect(allowed('update_group', 3)).toBe(true);
    expect(allowed('update_group', 4)).toBe(false);
    const batch = { requests: [{ id: me.userId }, { id: 'tom@first.test' }] };
    expect(configurationTargetsAllowed('batch_update_agents', mine, me, batch)).toBe(false);
    expect(
      configurationTargetsAllowed('update_agent', ['agents--all:rw'], me, { id: 'tom@first.test' }),
    ).toBe(true);
    expect(configurationTargetsAllowed('update_agent', undefined, me, { id: 'tom' })).toBe(true);
  });
});
