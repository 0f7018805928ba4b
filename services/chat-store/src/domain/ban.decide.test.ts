import { describe, expect, it } from 'vitest';
import type { ChatCommand } from './chat.commands.ts';
import { given } from './testing/decider-spec.ts';
import { later, theRouter } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned, closed } = anAssignedChat({ text: 'hi' });

function closeForBan(overrides: Partial<Record<string, unknown>> = {}): ChatCommand {
  return {
    type: 'close_thread_for_ban',
    actor: theRouter({ id: 'gateway' }),
    at: later,
    payload: {
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      customer_id: customer.id,
      banned_by: { id: agent.id, name: 'Jane' },
      days: 7,
      ...overrides,
    },
  } as ChatCommand;
}

describe('chat decide: close_thread_for_ban', () => {
  it('posts customer_banned and closes the thread in the banning agent’s name', () => {
    given(started, assigned)
      .when(closeForBan())
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          type: 'event_added',
          data: {
            requested: false,
            event: {
              type: 'system_message',
              system_message_type: 'customer_banned',
              text: 'Customer was banned by Jane for 7 days',
              text_vars: { agent: 'Jane', days: '7' },
            },
          },
        });
        expect(events[1]).toMatchObject({
          type: 'thread_closed',
          data: { thread_id: 'THREAD0001', user_id: agent.id },
        });
      });
  });

  it('answers chat_inactive when the thread is closed or no longer the last one', () => {
    given(started, closed).when(closeForBan()).thenFails('chat_inactive');
    given(started)
      .when(closeForBan({ thread_id: 'OLDTHREAD' }))
      .thenFails('chat_inactive');
  });

  it('refuses a customer who is not in the chat', () => {
    given(started)
      .when(closeForBan({ customer_id: 'someone-else' }))
      .thenFails('not_found');
  });

  it('is only for the system requester', () => {
    given(started)
      .when({ ...closeForBan(), actor: agent })
      .thenFails('authorization');
  });
});
