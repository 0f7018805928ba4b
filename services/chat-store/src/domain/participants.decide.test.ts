import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { eventsOf, given } from './testing/decider-spec.ts';
import { aCommand, anAgent, startChat } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned, closed } = anAssignedChat();
const other = anAgent({ id: 'other@example.com', name: 'Olga Other', email: 'other@example.com' });

const addUser = (actor = agent, extra: Record<string, unknown> = {}) =>
  aCommand('add_user_to_chat', actor, {
    chat_id: 'CHAT000001',
    user_id: other.id,
    user_type: 'agent',
    visibility: 'all',
    ...extra,
  });
const removeUser = (actor = agent, extra: Record<string, unknown> = {}) =>
  aCommand('remove_user_from_chat', actor, {
    chat_id: 'CHAT000001',
    user_id: other.id,
    user_type: 'agent',
    ...extra,
  });

describe('chat decide: add_user_to_chat', () => {
  it('adds the agent as present, reason manual, with agent_added when an agent is there already', () => {
    given(started, assigned)
      .when(addUser())
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({
          type: 'user_added',
          data: {
            reason: 'manual',
            thread_id: 'THREAD0001',
            user: { id: other.id, type: 'agent', present: true, visibility: 'all' },
          },
        });
        expect(events[1]).toMatchObject({
          type: 'event_added',
          data: {
            event: {
              type: 'system_message',
              system_message_type: 'agent_added',
              text: `${agent.name} added ${other.id} to the chat`,
              visibility: 'all',
            },
          },
        });
      });
  });

  it('posts agent_joined when agents add themselves, nothing for the first agent', () => {
    given(started, assigned)
      .when(addUser(other, { ignore_requester_presence: true }))
      .thenDecides((events) =>
        expect(events[1]).toMatchObject({
          data: { event: { system_message_type: 'agent_joined', text_vars: { agent: other.id } } },
        }),
      );
    given(started)
      .when(addUser(agent, { user_id: agent.id, ignore_requester_presence: true }))
      .thenDecides((events) => expect(events.map((event) => event.type)).toEqual(['user_added']));
  });

  it('gives the system message the visibility of an agents-only user', () => {
    given(started, assigned)
      .when(addUser(agent, { visibility: 'agents' }))
      .thenDecides((events) => {
        expect(events[0]).toMatchObject({ data: { user: { visibility: 'agents' } } });
        expect(events[1]).toMatchObject({ data: { event: { visibility: 'agents' } } });
      });
  });

  it('adds a customer with customer_added, only with visibility all and only one per chat', () => {
    const agentChat = eventsOf(fold([]), startChat(agent));
    given(agentChat)
      .when(addUser(agent, { user_id: 'customer-9', user_type: 'customer' }))
      .thenDecides((events) =>
        expect(events[1]).toMatchObject({
          data: { event: { system_message_type: 'customer_added' } },
        }),
      );
    given(agentChat)
      .when(addUser(agent, { user_id: 'customer-9', user_type: 'customer', visibility: 'agents' }))
      .thenFails('validation', /visibility all/);
    given(started, assigned)
      .when(addUser(agent, { user_id: 'customer-9', user_type: 'customer' }))
      .thenFails('validation', /one customer/);
  });

  it('changes nothing for a user who is present already', () => {
    given(started, assigned)
      .when(addUser(agent, { user_id: agent.id }))
      .thenDecides((events) => expect(events).toEqual([]));
  });

  it('needs an active chat, a present requester (unless ignored) and an agent requester', () => {
    given(started, assigned, closed).when(addUser()).thenFails('chat_inactive');
    given(started).when(addUser()).thenFails('missing_access');
    given(started).when(addUser(customer)).thenFails('authorization');
    given(started)
      .when(addUser(agent, { ignore_requester_presence: true }))
      .thenDecides((events) => expect(events[0]?.type).toBe('user_added'));
  });

  it('refuses a user id that is in the chat as the other user type', () => {
    given(started, assigned)
      .when(addUser(agent, { user_id: customer.id }))
      .thenFails('validation', /is a customer of this chat/);
  });
});

describe('chat decide: remove_user_from_chat', () => {
  const withOther = eventsOf(fold([...started, ...assigned]), addUser());

  it('takes the agent out with reason manual and agent_removed', () => {
    given(started, assigned, withOther)
      .when(removeUser())
      .thenDecides((events) => {
        expect(events[0]).toEqual(
          expect.objectContaining({
            type: 'user_removed',
            data: { user_id: other.id, reason: 'manual', thread_id: 'THREAD0001' },
          }),
        );
        expect(events[1]).toMatchObject({
          data: { event: { system_message_type: 'agent_removed' } },
        });
      });
  });

  it('calls it agent_left when agents remove themselves', () => {
    given(started, assigned, withOther)
      .when(removeUser(other))
      .thenDecides((events) =>
        expect(events[1]).toMatchObject({ data: { event: { system_message_type: 'agent_left' } } }),
      );
  });

  it('never removes the customer, nor a user who is not present', () => {
    given(started, assigned)
      .when(removeUser(agent, { user_id: customer.id, user_type: 'customer' }))
      .thenFails('validation', /customer cannot be removed/);
    given(started, assigned).when(removeUser()).thenFails('not_found');
    given(started, assigned, closed)
      .when(removeUser(agent, { user_id: agent.id, ignore_requester_presence: true }))
      .thenFails('not_found');
  });

  it('needs the requester present unless ignored', () => {
    given(started, assigned, withOther)
      .when(removeUser(anAgent({ id: 'third@example.com' })))
      .thenFails('missing_access');
    given(started, assigned, withOther)
      .when(removeUser(anAgent({ id: 'third@example.com' }), { ignore_requester_presence: true }))
      .thenDecides((events) => expect(events[0]?.type).toBe('user_removed'));
  });
});

describe('chat decide: follow_chat / unfollow_chat', () => {
  const follow = (actor = other) => aCommand('follow_chat', actor, { id: 'CHAT000001' });
  const unfollow = (actor = other) => aCommand('unfollow_chat', actor, { id: 'CHAT000001' });
  const followed = eventsOf(fold([...started, ...assigned]), follow());

  it('records a follower once', () => {
    given(started, assigned)
      .when(follow())
      .thenDecides((events) =>
        expect(events).toEqual([
          expect.objectContaining({ type: 'chat_followed', data: { user_id: other.id } }),
        ]),
      );
    given(started, assigned, followed)
      .when(follow())
      .thenDecides((events) => expect(events).toEqual([]));
  });

  it('lets followers unfollow, changes nothing for others, refuses members', () => {
    given(started, assigned, followed)
      .when(unfollow())
      .thenDecides((events) => expect(events[0]?.type).toBe('chat_unfollowed'));
    given(started, assigned)
      .when(unfollow())
      .thenDecides((events) => expect(events).toEqual([]));
    given(started, assigned)
      .when(unfollow(agent))
      .thenFails('validation', /members cannot unfollow/);
  });

  it('hides chats outside the agent’s groups and is for agents only', () => {
    given(started)
      .when(follow(anAgent({ id: 'far@example.com', groupIds: [9] })))
      .thenFails('not_found');
    given(started).when(follow(customer)).thenFails('authorization');
  });
});
