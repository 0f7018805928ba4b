import { describe, expect, it } from 'vitest';
import { decideStatusChange, type StatusRequester } from './routing-status.decide.ts';

const anAgent = (overrides: Partial<StatusRequester> = {}): StatusRequester => ({
  userId: 'agent@example.com',
  userType: 'agent',
  role: 'normal',
  ...overrides,
});

describe('decideStatusChange', () => {
  it('lets an agent set their own status, refreshing their profile', () => {
    expect(
      decideStatusChange(anAgent(), { status: 'accepting_chats', agentId: undefined }, undefined),
    ).toEqual({
      type: 'accepted',
      agentId: 'agent@example.com',
      status: 'accepting_chats',
      bySelf: true,
    });
    const naming = decideStatusChange(
      anAgent(),
      { status: 'not_accepting_chats', agentId: 'agent@example.com' },
      undefined,
    );
    expect(naming).toMatchObject({ type: 'accepted', bySelf: true });
  });

  it("refuses a normal agent setting another agent's status", () => {
    const decision = decideStatusChange(
      anAgent(),
      { status: 'accepting_chats', agentId: 'other@example.com' },
      'agent',
    );
    expect(decision).toMatchObject({ type: 'rejected', error: 'authorization' });
  });

  it.each(['owner', 'viceowner', 'administrator'])(
    "lets an %s set another agent's status",
    (role) => {
      const decision = decideStatusChange(
        anAgent({ role }),
        { status: 'accepting_chats', agentId: 'other@example.com' },
        'agent',
      );
      expect(decision).toEqual({
        type: 'accepted',
        agentId: 'other@example.com',
        status: 'accepting_chats',
        bySelf: false,
      });
    },
  );

  it('allows offline for bots only', () => {
    const byAgent = decideStatusChange(
      anAgent(),
      { status: 'offline', agentId: undefined },
      undefined,
    );
    expect(byAgent).toMatchObject({ type: 'rejected', error: 'validation' });
    const byBot = decideStatusChange(
      anAgent({ userType: 'bot', userId: 'bot1' }),
      { status: 'offline', agentId: undefined },
      undefined,
    );
    expect(byBot).toMatchObject({ type: 'accepted', status: 'offline' });
    const admin = anAgent({ role: 'owner' });
    expect(decideStatusChange(admin, { status: 'offline', agentId: 'bot1' }, 'bot')).toMatchObject({
      type: 'accepted',
    });
    expect(
      decideStatusChange(admin, { status: 'offline', agentId: 'someone' }, undefined),
    ).toMatchObject({
      type: 'rejected',
      error: 'validation',
    });
  });

  it('refuses customers and the system', () => {
    for (const userType of ['customer', 'system']) {
      const decision = decideStatusChange(
        anAgent({ userType }),
        { status: 'accepting_chats', agentId: undefined },
        undefined,
      );
      expect(decision).toMatchObject({ type: 'rejected', error: 'authorization' });
    }
  });
});
