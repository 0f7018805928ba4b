import { describe, expect, it } from 'vitest';
import { given } from './testing/decider-spec.ts';
import { aCommand, later } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned, closed } = anAssignedChat();
const seconds = Math.floor(Date.parse(later) / 1000);

const typing = (actor = agent, extra: Record<string, unknown> = {}) =>
  aCommand('send_typing_indicator', actor, { chat_id: 'CHAT000001', is_typing: true, ...extra });

describe('chat decide: send_typing_indicator', () => {
  it('tells the other present users, with a unix timestamp', () => {
    given(started, assigned)
      .when(typing())
      .thenSignals((signals) =>
        expect(signals).toEqual([
          {
            action: 'incoming_typing_indicator',
            payload: {
              chat_id: 'CHAT000001',
              thread_id: 'THREAD0001',
              typing_indicator: {
                author_id: agent.id,
                visibility: 'all',
                timestamp: seconds,
                is_typing: true,
              },
            },
            recipientUserIds: [customer.id],
            recipientGroupIds: [0],
          },
        ]),
      );
  });

  it('keeps agents-visibility typing from customers', () => {
    given(started, assigned)
      .when(typing(agent, { visibility: 'agents' }))
      .thenSignals((signals) => expect(signals[0]?.agentsOnly).toBe(true));
  });

  it('needs an active thread and a present requester', () => {
    given(started, assigned, closed).when(typing()).thenFails('chat_inactive');
    given(started).when(typing()).thenFails('missing_access');
  });
});

describe('chat decide: send_thinking_indicator', () => {
  it('sends the indicator with its optional fields to the others', () => {
    given(started, assigned)
      .when(
        aCommand('send_thinking_indicator', agent, {
          chat_id: 'CHAT000001',
          title: 'Thinking...',
          custom_id: 'c1',
        }),
      )
      .thenSignals((signals) =>
        expect(signals[0]).toMatchObject({
          action: 'incoming_thinking_indicator',
          payload: {
            chat_id: 'CHAT000001',
            thread_id: 'THREAD0001',
            author_id: agent.id,
            sent_at: later,
            title: 'Thinking...',
            custom_id: 'c1',
          },
          recipientUserIds: [customer.id],
        }),
      );
  });
});

describe('chat decide: send_sneak_peek', () => {
  const peek = (actor = customer) =>
    aCommand('send_sneak_peek', actor, { chat_id: 'CHAT000001', sneak_peek_text: 'Hel' });

  it('shows the customer’s draft to the present agents only', () => {
    given(started, assigned)
      .when(peek())
      .thenSignals((signals) =>
        expect(signals[0]).toMatchObject({
          action: 'incoming_sneak_peek',
          payload: { sneak_peek: { author_id: customer.id, text: 'Hel', timestamp: seconds } },
          recipientUserIds: [agent.id],
          agentsOnly: true,
        }),
      );
  });

  it('is for customers, on active chats', () => {
    given(started, assigned).when(peek(agent)).thenFails('authorization');
    given(started, assigned, closed).when(peek()).thenFails('chat_inactive');
  });
});

describe('chat decide: send_event_preview', () => {
  it('previews an agent’s message to the customer, directly', () => {
    given(started, assigned)
      .when(
        aCommand('send_event_preview', agent, {
          chat_id: 'CHAT000001',
          event: { type: 'message', text: 'Let me check', custom_id: 'p1' },
        }),
      )
      .thenSignals((signals) =>
        expect(signals).toEqual([
          expect.objectContaining({
            action: 'incoming_event_preview',
            payload: {
              chat_id: 'CHAT000001',
              thread_id: 'THREAD0001',
              event: {
                created_at: later,
                type: 'message',
                text: 'Let me check',
                author_id: agent.id,
                custom_id: 'p1',
              },
            },
            recipientUserIds: [customer.id],
            pushOnly: true,
          }),
        ]),
      );
  });

  it('needs the agent to be in the chat', () => {
    given(started)
      .when(
        aCommand('send_event_preview', agent, {
          chat_id: 'CHAT000001',
          event: { type: 'message', text: 'x' },
        }),
      )
      .thenFails('missing_access');
  });
});
