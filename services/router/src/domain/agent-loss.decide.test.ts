import { describe, expect, it } from 'vitest';
import { anAgentLoad } from './agent-load.fixture.ts';
import { decideHandovers, type LostAgentThread } from './agent-loss.decide.ts';
import { defaultRoutingSettings } from './routing-settings.ts';

const thread = (chatId: string, overrides: Partial<LostAgentThread> = {}): LostAgentThread => ({
  chatId,
  threadId: `${chatId}-T`,
  groupIds: [0],
  otherAgentIds: [],
  continuous: false,
  ...overrides,
});
const settings = { ...defaultRoutingSettings, queue: { enabled: true, limit: 1 } };

describe('decideHandovers', () => {
  it('leaves chats others are in, hands the rest to free agents by load, then queues, then archives', () => {
    const decisions = decideHandovers(
      [
        thread('shared', { otherAgentIds: ['b@x'] }),
        thread('c1'),
        thread('c2'),
        thread('c3'),
        thread('c4'),
        thread('c5', { continuous: true }),
      ],
      {
        agents: [
          anAgentLoad({ agentId: 'b@x', load: 1, maxChatsCount: 2 }),
          anAgentLoad({ agentId: 'c@x', load: 0, maxChatsCount: 1 }),
        ],
        waitingNow: 0,
        settingsOf: () => settings,
      },
    );
    expect(decisions).toEqual([
      { type: 'leave' },
      { type: 'assign', agentId: 'c@x' },
      { type: 'assign', agentId: 'b@x' },
      { type: 'requeue' }, // one place left in a queue of limit 1
      { type: 'archive' },
      { type: 'requeue' }, // Messaging Mode waits however full the queue is
    ]);
  });

  it('sends chats of manually routed groups back to the queue, never to an agent', () => {
    const decisions = decideHandovers([thread('c1')], {
      agents: [anAgentLoad({ agentId: 'b@x' })],
      waitingNow: 0,
      settingsOf: () => ({ ...settings, manualRouting: true }),
    });
    expect(decisions).toEqual([{ type: 'requeue' }]);
  });
});
