import { describe, expect, it } from 'vitest';
import { useResumeChatMessage } from './chat.decide.ts';
import { given } from './testing/decider-spec.ts';
import {
  aCustomer,
  aMessage,
  anAgent,
  assignAgent,
  deactivateChat,
  later,
  resumeChat,
  sendEvent,
  startChat,
} from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned, closed } = anAssignedChat({ text: 'hi' });

describe('chat decide: start_chat', () => {
  it('creates the chat, adds the customer as a present user and opens a thread with their events', () => {
    given()
      .when(startChat(customer, { chat: { thread: { events: [aMessage('hi')] } } }))
      .thenDecides((events) => {
        expect(events.map((event) => event.type)).toEqual([
          'chat_created',
          'user_added',
          'thread_opened',
          'event_added',
          'events_seen',
        ]);
        expect(events[1]).toMatchObject({
          data: { user: { id: customer.id, type: 'customer', present: true } },
        });
        expect(events[2]).toMatchObject({
          data: { thread_id: 'THREAD0001', user_ids: [customer.id], active: true },
        });
        expect(events[3]).toMatchObject({
          data: {
            thread_id: 'THREAD0001',
            requested: true,
            event: {
              id: 'THREAD0001_1',
              type: 'message',
              text: 'hi',
              author_id: customer.id,
              visibility: 'all',
            },
          },
        });
      });
  });

  it("gives a customer's chat the customer's group as access, and an agent's chat group 0", () => {
    given()
      .when(startChat(aCustomer({ groupIds: [7] })))
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({ data: { access: { group_ids: [7] } } }),
      );
    given()
      .when(startChat(anAgent({ groupIds: [3, 4] })))
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({ data: { access: { group_ids: [0] } } }),
      );
  });

  it('adds the listed customer when an agent starts a chat for them', () => {
    given()
      .when(startChat(agent, { chat: { users: [{ id: 'customer-9', type: 'customer' }] } }))
      .thenDecides((events) => {
        expect(events.filter((event) => event.type === 'user_added')).toHaveLength(2);
        expect(events.find((event) => event.type === 'thread_opened')).toMatchObject({
          data: { user_ids: [agent.id, 'customer-9'] },
        });
      });
  });

  it('refuses two customers in one chat', () => {
    given()
      .when(
        startChat(agent, {
          chat: {
            users: [
              { id: 'c1', type: 'customer' },
              { id: 'c2', type: 'customer' },
            ],
          },
        }),
      )
      .thenFails('validation');
  });

  it('records continuous chats as the routing.continuous property and honours active:false', () => {
    given()
      .when(startChat(customer, { continuous: true, active: false }))
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          data: { properties: { routing: { continuous: true } } },
        });
        expect(events.find((event) => event.type === 'thread_opened')).toMatchObject({
          data: { active: false },
        });
      });
  });

  it("records the token's client as source.client_id, over any the request claims", () => {
    const fromApp = { ...customer, clientId: 'bridge-app' };
    given()
      .when(startChat(fromApp, { chat: { properties: { source: { client_id: 'other-app' } } } }))
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          data: { properties: { source: { client_id: 'bridge-app' } } },
        });
      });
    given()
      .when(startChat(customer))
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({ data: { properties: {} } });
        expect(JSON.stringify(events[0])).not.toContain('source');
      });
  });

  it('refuses customer events with agents visibility', () => {
    given()
      .when(
        startChat(customer, {
          chat: { thread: { events: [aMessage('x', { visibility: 'agents' })] } },
        }),
      )
      .thenFails('validation', /visibility/);
  });

  it('tells a customer who already has the chat to resume it', () => {
    given(started)
      .when(startChat(customer))
      .thenFails('validation', new RegExp(useResumeChatMessage));
  });
});

describe('chat decide: resume_chat', () => {
  it('opens a new thread after the last one, with the requester present again', () => {
    given(started, assigned, closed)
      .when(resumeChat(customer, { thread: { events: [aMessage('back')] } }))
      .thenDecides((events) => {
        const opened = events.find((event) => event.type === 'thread_opened');
        expect(opened).toMatchObject({
          data: {
            thread_id: 'THREAD0002',
            previous_thread_id: 'THREAD0001',
            user_ids: [customer.id],
          },
        });
        expect(events.at(-2)).toMatchObject({
          data: { event: { id: 'THREAD0002_1', text: 'back' } },
        });
        // Resuming marks everything seen for the requester (spec §7.10).
        expect(events.at(-1)).toMatchObject({
          type: 'events_seen',
          data: { user_id: customer.id, seen_up_to: later },
        });
      });
  });

  it('refuses to resume a chat that has an active thread', () => {
    given(started)
      .when(resumeChat(customer))
      .thenFails('validation', /active/);
  });

  it("merges given properties into the chat's and replaces access", () => {
    given(started, closed)
      .when(
        resumeChat(customer, { properties: { source: { type: 'x' } }, access: { group_ids: [2] } }),
      )
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({
          type: 'chat_updated',
          data: { properties: { source: { type: 'x' } }, access: { group_ids: [2] } },
        }),
      );
  });

  it("hides another customer's chat", () => {
    given(started, closed)
      .when(resumeChat(aCustomer({ id: 'someone-else' })))
      .thenFails('not_found');
  });
});

describe('chat decide: send_event', () => {
  it('appends the event to the active thread with the next event id, seen by its author', () => {
    given(started)
      .when(sendEvent(customer, aMessage('second')))
      .thenDecides((events) =>
        expect(events).toEqual([
          expect.objectContaining({
            type: 'event_added',
            data: expect.objectContaining({
              thread_id: 'THREAD0001',
              event: expect.objectContaining({ id: 'THREAD0001_2' }),
            }),
          }),
          expect.objectContaining({
            type: 'events_seen',
            data: { user_id: customer.id, seen_up_to: later },
          }),
        ]),
      );
  });

  it('answers chat_inactive when the chat has no active thread', () => {
    given(started, assigned, closed).when(sendEvent(customer)).thenFails('chat_inactive');
  });

  it('appends to the last, inactive thread when a customer asks for attach_to_last_thread', () => {
    given(started, assigned, closed)
      .when(sendEvent(customer, aMessage('late'), { attach_to_last_thread: true }))
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({ data: { thread_id: 'THREAD0001' } }),
      );
  });

  it('does not let agents use attach_to_last_thread', () => {
    given(started, assigned, closed)
      .when(sendEvent(agent, aMessage('late'), { attach_to_last_thread: true }))
      .thenFails('chat_inactive');
  });

  it('refuses an agent of the right group who is not a user of the chat', () => {
    given(started).when(sendEvent(agent)).thenFails('missing_access');
  });

  it('lets an assigned agent send agents-only events', () => {
    given(started, assigned)
      .when(sendEvent(agent, aMessage('note', { visibility: 'agents' })))
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({
          data: { event: { visibility: 'agents', author_id: agent.id } },
        }),
      );
  });

  it('hides the chat from agents outside its groups and from other organizations', () => {
    given(started)
      .when(sendEvent(anAgent({ id: 'other@example.com', groupIds: [5] })))
      .thenFails('not_found');
    given(started)
      .when(sendEvent(aCustomer({ organizationId: 'org-2' })))
      .thenFails('not_found');
  });

  it('refuses customer events with agents visibility', () => {
    given(started)
      .when(sendEvent(customer, aMessage('x', { visibility: 'agents' })))
      .thenFails('validation');
  });
});

describe('chat decide: deactivate_chat', () => {
  it('posts the archived system message and closes the thread', () => {
    given(started)
      .when(deactivateChat(customer))
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          type: 'event_added',
          data: {
            requested: false,
            event: {
              id: 'THREAD0001_2',
              type: 'system_message',
              system_message_type: 'manual_archived_customer',
            },
          },
        });
        expect(events[1]).toEqual(
          expect.objectContaining({
            type: 'thread_closed',
            data: { thread_id: 'THREAD0001', user_id: customer.id },
          }),
        );
      });
  });

  it('uses manual_archived_agent when an agent closes it', () => {
    given(started, assigned)
      .when(deactivateChat(agent))
      .thenDecides((events) =>
        expect(events[0]).toMatchObject({
          data: { event: { system_message_type: 'manual_archived_agent' } },
        }),
      );
  });

  it('requires presence unless the agent ignores it', () => {
    given(started).when(deactivateChat(agent)).thenFails('missing_access');
    given(started)
      .when(deactivateChat(agent, { ignore_requester_presence: true }))
      .thenDecides((events) => expect(events).toHaveLength(2));
  });

  it('answers chat_inactive on a closed chat', () => {
    given(started, closed).when(deactivateChat(customer)).thenFails('chat_inactive');
  });
});

describe('chat decide: assign_agent', () => {
  it('adds the agent with reason assigned and posts routing.assigned', () => {
    given(started)
      .when(assignAgent(agent))
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          type: 'user_added',
          data: {
            reason: 'assigned',
            thread_id: 'THREAD0001',
            user: { id: agent.id, type: 'agent', present: true },
          },
        });
        expect(events[1]).toMatchObject({
          data: {
            event: {
              type: 'system_message',
              system_message_type: 'routing.assigned',
              text_vars: { agent: agent.name },
            },
          },
        });
      });
  });

  it('does nothing when the agent is already present', () => {
    given(started, assigned)
      .when(assignAgent(agent))
      .thenDecides((events) => expect(events).toEqual([]));
  });

  it('answers chat_inactive when the thread is no longer the active one', () => {
    given(started, closed).when(assignAgent(agent)).thenFails('chat_inactive');
    given(started)
      .when(assignAgent(agent, { thread_id: 'OLDTHREAD' }))
      .thenFails('chat_inactive');
  });

  it('is only for the system requester', () => {
    given(started)
      .when({ ...assignAgent(agent), actor: agent })
      .thenFails('authorization');
  });
});
