import { describe, expect, it } from 'vitest';
import { fold } from './chat.evolve.ts';
import { notificationsFor } from './chat.notifications.ts';
import { customerPayload } from './chat.views.ts';
import { given } from './testing/decider-spec.ts';
import { aCommand, anAgent } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { customer, agent, started, assigned, closed } = anAssignedChat();
const other = anAgent({ id: 'other@example.com', name: 'Olga Other', email: 'other@example.com' });

const transfer = (extra: Record<string, unknown> = {}, actor = agent) =>
  aCommand('transfer_chat', actor, { id: 'CHAT000001', ...extra });

describe('chat decide: transfer_chat', () => {
  it('to agents: removes the present agents, adds the targets (manual), posts chat_transferred', () => {
    given(started, assigned)
      .when(transfer({ target: { type: 'agent', ids: [other.id] } }))
      .thenDecides((events) => {
        expect(events.map((event) => event.type)).toEqual([
          'user_removed',
          'user_added',
          'event_added',
          'chat_transferred',
        ]);
        expect(events[0]).toMatchObject({ data: { user_id: agent.id, reason: 'manual' } });
        expect(events[1]).toMatchObject({
          data: { reason: 'manual', user: { id: other.id, type: 'agent', present: true } },
        });
        expect(events[2]).toMatchObject({
          data: { event: { type: 'system_message', system_message_type: 'chat_transferred' } },
        });
        expect(events[3]).toMatchObject({
          data: { transferred_to: { group_ids: [], agent_ids: [other.id] } },
        });
      });
  });

  it('to a group: access becomes the group and no agent stays present', () => {
    const events = given(started, assigned)
      .when(transfer({ target: { type: 'group', ids: [7] } }))
      .thenDecides((decided) =>
        expect(decided.slice(0, 2)).toMatchObject([
          { type: 'chat_updated', data: { access: { group_ids: [7] } } },
          { type: 'user_removed', data: { user_id: agent.id } },
        ]),
      );
    const after = fold([...started, ...assigned, ...events]);
    expect(after.status === 'existing' && after.access.group_ids).toEqual([7]);
    expect(
      after.status === 'existing' &&
        after.users.filter((user) => user.type === 'agent' && user.present),
    ).toEqual([]);
  });

  it('without a target: back to the chat current groups, the agents leave', () => {
    given(started, assigned)
      .when(transfer())
      .thenDecides((events) => {
        expect(events.some((event) => event.type === 'chat_updated')).toBe(false);
        expect(events.at(-1)).toMatchObject({
          data: { transferred_to: { group_ids: [0], agent_ids: [] } },
        });
      });
  });

  it('refuses inactive chats, absent requesters, customers as targets and no-op transfers', () => {
    given(started, assigned, closed).when(transfer()).thenFails('chat_inactive');
    given(started, assigned)
      .when(transfer({ target: { type: 'agent', ids: [other.id] } }, other))
      .thenFails('missing_access');
    given(started, assigned)
      .when(transfer({ target: { type: 'agent', ids: [customer.id] } }))
      .thenFails('validation', /customer/);
    given(started, assigned)
      .when(transfer({ target: { type: 'agent', ids: [agent.id] } }))
      .thenFails('validation');
    given(started, assigned)
      .when(transfer({ target: { type: 'group', ids: ['one'] } }))
      .thenFails('validation');
    given(started, assigned).when(transfer({}, customer)).thenFails('authorization');
  });

  it('lets an agent who is not in the chat transfer it with ignore_requester_presence', () => {
    given(started, assigned)
      .when(
        transfer(
          { target: { type: 'agent', ids: [other.id] }, ignore_requester_presence: true },
          other,
        ),
      )
      .thenDecides((events) => expect(events.at(-1)?.type).toBe('chat_transferred'));
  });

  it('announces chat_transferred to old and new users, chat_access_updated to agents', () => {
    const before = fold([...started, ...assigned]);
    const events = given(started, assigned)
      .when(transfer({ target: { type: 'group', ids: [7] } }))
      .thenDecides(() => undefined);
    const notifications = notificationsFor(before, events, agent);
    const access = notifications.find((n) => n.action === 'chat_access_updated');
    expect(access).toMatchObject({
      payload: { id: 'CHAT000001', access: { group_ids: [7] } },
      agentsOnly: true,
    });
    const transferred = notifications.find((n) => n.action === 'chat_transferred');
    expect(transferred?.payload).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      requester_id: agent.id,
      reason: 'manual',
      transferred_to: { group_ids: [7], agent_ids: [] },
    });
    expect(new Set(transferred?.recipientUserIds)).toEqual(new Set([customer.id, agent.id]));
    expect(transferred?.recipientGroupIds).toEqual([7]);
    // Customers get it without `reason` (Customer Chat API).
    expect(transferred && customerPayload(transferred)).not.toHaveProperty('reason');
    expect(access && customerPayload(access)).toBeUndefined();
  });

  it('pushes incoming_chat to the target agent only', () => {
    const before = fold([...started, ...assigned]);
    const events = given(started, assigned)
      .when(transfer({ target: { type: 'agent', ids: [other.id] } }))
      .thenDecides(() => undefined);
    const incoming = notificationsFor(before, events, agent).filter(
      (n) => n.action === 'incoming_chat',
    );
    expect(incoming).toMatchObject([{ recipientUserIds: [other.id], pushOnly: true }]);
  });
});
