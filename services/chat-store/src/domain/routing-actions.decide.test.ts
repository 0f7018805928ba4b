import { describe, expect, it } from 'vitest';
import type { ChatCommand } from './chat.commands.ts';
import { closeThreadForRoutingSchema, unassignAgentSchema } from './chat.commands.ts';
import { fold } from './chat.evolve.ts';
import { notificationsFor } from './chat.notifications.ts';
import type { ChatDomainEvent } from './chat.types.ts';
import { eventsOf, given } from './testing/decider-spec.ts';
import { anAgent, assignAgent, at, later, sendEvent, theRouter } from './testing/factories.ts';
import { anAssignedChat } from './testing/histories.ts';

const { agent, started, assigned, closed } = anAssignedChat({ text: 'hi' });
const other = anAgent({ id: 'other@example.com', name: 'Olga Other', email: 'other@example.com' });
const thread = { chat_id: 'CHAT000001', thread_id: 'THREAD0001' };
const earlier = '2025-11-25T09:59:00.000000Z';

function routerCommand(type: ChatCommand['type'], payload: Record<string, unknown>): ChatCommand {
  return { type, actor: theRouter(), at: later, payload: { ...thread, ...payload } } as ChatCommand;
}

function systemMessages(events: ChatDomainEvent[]) {
  return events.flatMap((event) =>
    event.type === 'event_added' && event.data.event.type === 'system_message'
      ? [event.data.event]
      : [],
  );
}

describe('chat decide: close_thread_for_routing', () => {
  it('closes an inactive thread with routing.idle then routing.archived_inactive, as the system', () => {
    const events = given(started, assigned)
      .when(routerCommand('close_thread_for_routing', { reason: 'inactive', inactive_minutes: 30 }))
      .thenDecides((decided) => expect(decided).toHaveLength(3));
    expect(systemMessages(events)).toMatchObject([
      {
        id: 'THREAD0001_3',
        system_message_type: 'routing.idle',
        text_vars: { duration: '30' },
        visibility: 'all',
      },
      {
        id: 'THREAD0001_4',
        system_message_type: 'routing.archived_inactive',
        text_vars: { duration: '30' },
      },
    ]);
    expect(events[2]).toEqual({
      type: 'thread_closed',
      occurredAt: later,
      data: { thread_id: 'THREAD0001' },
    });
    const state = fold([...started, ...assigned]);
    const deactivated = notificationsFor(state, events, theRouter()).find(
      (notification) => notification.action === 'chat_deactivated',
    );
    // Without user_id: the router closed it (spec §4.1).
    expect(deactivated?.payload).toEqual({ chat_id: 'CHAT000001', thread_id: 'THREAD0001' });
    expect(deactivated?.recipientUserIds).toContain(agent.id);
  });

  it('names the lost agent in routing.archived_<reason>', () => {
    const events = given(started, assigned)
      .when(routerCommand('close_thread_for_routing', { reason: 'signed_out', agent_id: agent.id }))
      .thenDecides(() => {});
    expect(systemMessages(events)).toMatchObject([
      {
        system_message_type: 'routing.archived_signed_out',
        text: 'The chat was closed because Adam Agent signed out',
        text_vars: { agent: 'Adam Agent' },
      },
    ]);
  });

  it('closes a chat nobody can take with routing.archived_offline', () => {
    const events = given(started)
      .when(routerCommand('close_thread_for_routing', { reason: 'offline' }))
      .thenDecides(() => {});
    expect(systemMessages(events).map((event) => event.system_message_type)).toEqual([
      'routing.archived_offline',
    ]);
    expect(events.at(-1)?.type).toBe('thread_closed');
  });

  it('answers chat_inactive for a closed or replaced thread, and refuses non-system requesters', () => {
    given(started, closed)
      .when(routerCommand('close_thread_for_routing', { reason: 'offline' }))
      .thenFails('chat_inactive');
    given(started)
      .when(routerCommand('close_thread_for_routing', { reason: 'offline', thread_id: 'OLD' }))
      .thenFails('chat_inactive');
    given(started)
      .when({ ...routerCommand('close_thread_for_routing', { reason: 'offline' }), actor: agent })
      .thenFails('authorization');
  });

  it('refuses an inactivity close with not_allowed when someone wrote after quiet_since', () => {
    const quiet = { reason: 'inactive', inactive_minutes: 30 };
    // The customer's "hi" is at `at`: a timer that last saw the thread before it is stale.
    given(started, assigned)
      .when(routerCommand('close_thread_for_routing', { ...quiet, quiet_since: earlier }))
      .thenFails('not_allowed');
    given(started, assigned)
      .when(routerCommand('close_thread_for_routing', { ...quiet, quiet_since: at }))
      .thenDecides((decided) => expect(decided.at(-1)?.type).toBe('thread_closed'));
  });

  it('closes for a silent customer with archived_customer_disconnected, whatever agents wrote', () => {
    const agentReplied = eventsOf(fold([...started, ...assigned]), sendEvent(agent));
    const payload = { reason: 'customer_inactive', inactive_minutes: 15, quiet_since: at };
    const events = given(started, assigned, agentReplied)
      .when(routerCommand('close_thread_for_routing', payload))
      .thenDecides(() => {});
    expect(systemMessages(events)).toMatchObject([
      { system_message_type: 'archived_customer_disconnected', text_vars: { duration: '15' } },
    ]);
    given(started, assigned)
      .when(routerCommand('close_thread_for_routing', { ...payload, quiet_since: earlier }))
      .thenFails('not_allowed');
  });

  it('needs the minutes for an inactivity close', () => {
    expect(closeThreadForRoutingSchema.safeParse({ ...thread, reason: 'inactive' }).success).toBe(
      false,
    );
    expect(closeThreadForRoutingSchema.safeParse({ ...thread, reason: 'nope' }).success).toBe(
      false,
    );
  });
});

describe('chat decide: unassign_agent', () => {
  it('refuses to take an unanswered chat away when an agent replied after quiet_since', () => {
    const agentReplied = eventsOf(fold([...started, ...assigned]), sendEvent(agent));
    const payload = {
      agent_id: agent.id,
      reason: 'inactive',
      inactive_minutes: 2,
      assign_to: { id: other.id, name: other.name },
      quiet_since: at,
    };
    given(started, assigned, agentReplied)
      .when(routerCommand('unassign_agent', payload))
      .thenFails('not_allowed');
    given(started, assigned)
      .when(routerCommand('unassign_agent', payload))
      .thenDecides((decided) => expect(decided[0]?.type).toBe('user_removed'));
  });

  it('hands the chat to another agent with routing.assigned_<reason> and chat_transferred assigned', () => {
    const state = fold([...started, ...assigned]);
    const command = routerCommand('unassign_agent', {
      agent_id: agent.id,
      reason: 'disconnected',
      assign_to: { id: other.id, name: other.name, email: other.email },
    });
    const events = eventsOf(state, command);
    expect(events.map((event) => event.type)).toEqual([
      'user_removed',
      'user_added',
      'event_added',
      'chat_transferred',
    ]);
    expect(events[0]?.data).toEqual({
      user_id: agent.id,
      reason: 'disconnected',
      thread_id: 'THREAD0001',
    });
    expect(events[1]?.data).toMatchObject({ user: { id: other.id }, reason: 'assigned' });
    expect(systemMessages(events)).toMatchObject([
      {
        system_message_type: 'routing.assigned_disconnected',
        text: 'The chat was assigned to Olga Other because Adam Agent lost their connection',
        text_vars: { agent_added: 'Olga Other', agent_removed: 'Adam Agent' },
      },
    ]);
    const after = fold(events, state);
    expect(after.status === 'existing' && after.users.filter((user) => user.present)).toEqual([
      expect.objectContaining({ type: 'customer' }),
      expect.objectContaining({ id: other.id }),
    ]);
    const notifications = notificationsFor(state, events, theRouter());
    const transfer = notifications.find((n) => n.action === 'chat_transferred');
    expect(transfer?.payload).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      reason: 'assigned',
      transferred_to: { group_ids: [], agent_ids: [other.id] },
    });
    // The agent who left hears of it, and the one who joined.
    expect(transfer?.recipientUserIds).toEqual(expect.arrayContaining([agent.id, other.id]));
    const removal = notifications.find((n) => n.action === 'user_removed_from_chat');
    expect(removal?.payload).toMatchObject({ user_id: agent.id, reason: 'disconnected' });
  });

  it('transfers an unanswered chat with reason inactive and the minutes waited', () => {
    const events = given(started, assigned)
      .when(
        routerCommand('unassign_agent', {
          agent_id: agent.id,
          reason: 'inactive',
          inactive_minutes: 5,
          assign_to: { id: other.id, name: '' },
        }),
      )
      .thenDecides(() => {});
    expect(systemMessages(events)).toMatchObject([
      {
        system_message_type: 'routing.assigned_inactive',
        text_vars: { agent_added: other.id, agent_removed: 'Adam Agent', duration: '5' },
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'chat_transferred', data: { reason: 'inactive' } });
  });

  it('sends the chat back to its groups with routing.unassigned_<reason> and its queue place', () => {
    const queue = { position: 2, wait_time: 40, queued_at: later };
    const state = fold([...started, ...assigned]);
    const events = eventsOf(
      state,
      routerCommand('unassign_agent', { agent_id: agent.id, reason: 'signed_out', queue }),
    );
    expect(systemMessages(events)).toMatchObject([
      {
        system_message_type: 'routing.unassigned_signed_out',
        text_vars: { agent: 'Adam Agent' },
      },
    ]);
    const transfer = notificationsFor(state, events, theRouter()).find(
      (n) => n.action === 'chat_transferred',
    );
    expect(transfer?.payload).toEqual({
      chat_id: 'CHAT000001',
      thread_id: 'THREAD0001',
      reason: 'unassigned',
      transferred_to: { group_ids: [0], agent_ids: [] },
      queue,
    });
  });

  it('only removes the agent when another agent stays in the chat', () => {
    const withOther = eventsOf(fold([...started, ...assigned]), assignAgent(other));
    given(started, assigned, withOther)
      .when(routerCommand('unassign_agent', { agent_id: agent.id, reason: 'deleted' }))
      .thenDecides((events) => {
        expect(events).toEqual([
          {
            type: 'user_removed',
            occurredAt: later,
            data: { user_id: agent.id, reason: 'deleted', thread_id: 'THREAD0001' },
          },
        ]);
      });
  });

  it('answers not_found for an agent no longer in the chat, chat_inactive for a closed thread', () => {
    given(started)
      .when(routerCommand('unassign_agent', { agent_id: agent.id, reason: 'other' }))
      .thenFails('not_found');
    given(started, assigned, closed)
      .when(routerCommand('unassign_agent', { agent_id: agent.id, reason: 'other' }))
      .thenFails('chat_inactive');
  });

  it('refuses inactive without a new agent (there is no routing.unassigned_inactive)', () => {
    const parsed = unassignAgentSchema.safeParse({
      ...thread,
      agent_id: agent.id,
      reason: 'inactive',
      inactive_minutes: 5,
    });
    expect(parsed.success).toBe(false);
  });
});

describe('chat decide: post_system_message', () => {
  it('posts a system message in the active thread, agents-only when asked', () => {
    const events = given(started, assigned)
      .when(
        routerCommand('post_system_message', {
          system_message_type: 'routing.idle',
          text: 'The chat has been idle for 10 minutes',
          text_vars: { duration: '10' },
          recipients: 'agents',
        }),
      )
      .thenDecides((decided) => expect(decided).toHaveLength(1));
    expect(systemMessages(events)).toEqual([
      {
        id: 'THREAD0001_3',
        created_at: later,
        type: 'system_message',
        system_message_type: 'routing.idle',
        text: 'The chat has been idle for 10 minutes',
        text_vars: { duration: '10' },
        visibility: 'agents',
      },
    ]);
  });

  it('answers chat_inactive once the thread is closed', () => {
    given(started, closed)
      .when(
        routerCommand('post_system_message', {
          system_message_type: 'x',
          text: '',
          text_vars: {},
          recipients: 'all',
        }),
      )
      .thenFails('chat_inactive');
  });
});
