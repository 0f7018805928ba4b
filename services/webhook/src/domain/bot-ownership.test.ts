import { describe, expect, it } from 'vitest';
import { aRegistration } from '../../test/factories.ts';
import { botOwnershipChange, wantsMyBots } from './bot-ownership.ts';

describe('botOwnershipChange', () => {
  it('reads the owner client of a created bot and the id of a deleted one', () => {
    expect(
      botOwnershipChange({
        action: 'bot_created',
        payload: { id: 'bot-1', name: 'Bot', owner_client_id: 'client-1' },
      }),
    ).toEqual({ type: 'bot_created', botId: 'bot-1', ownerClientId: 'client-1' });
    expect(botOwnershipChange({ action: 'bot_deleted', payload: { id: 'bot-1' } })).toEqual({
      type: 'bot_deleted',
      botId: 'bot-1',
    });
  });

  it('ignores bots no client owns, other actions and payloads without an id', () => {
    const ownerless = { id: 'bot-1', owner_client_id: '' };
    expect(botOwnershipChange({ action: 'bot_created', payload: ownerless })).toBeUndefined();
    expect(
      botOwnershipChange({ action: 'bot_updated', payload: { id: 'bot-1', name: 'Renamed' } }),
    ).toBeUndefined();
    expect(botOwnershipChange({ action: 'bot_deleted', payload: [] })).toBeUndefined();
  });

  it('learns the owner of an updated bot from the change, for bots created before it kept owners', () => {
    expect(
      botOwnershipChange({
        action: 'bot_updated',
        payload: { id: 'bot-1', name: 'Renamed' },
        botOwnerClientId: 'client-1',
      }),
    ).toEqual({ type: 'bot_created', botId: 'bot-1', ownerClientId: 'client-1' });
  });
});

describe('wantsMyBots', () => {
  it('holds only when a registration sets chat_presence.my_bots', () => {
    const plain = aRegistration({ filters: { chat_presence: { my_bots: false } } });
    expect(wantsMyBots([plain])).toBe(false);
    expect(
      wantsMyBots([plain, aRegistration({ filters: { chat_presence: { my_bots: true } } })]),
    ).toBe(true);
  });
});
