import type { AgentLossReason } from './chat.commands.ts';

/**
 * The router's system messages (spec §7.7): `system_message_type`, the English `text` and the
 * `text_vars` it was made from (clients may render their own text from type and vars). Keys of
 * `text_vars` are LiveChat's template variables: `agent`, `agent_added`, `agent_removed`,
 * `duration` (minutes).
 */
export interface RoutingMessage {
  type: string;
  text: string;
  textVars: Record<string, string>;
}

/** What happened to the agent, as the tail of a sentence about them. */
const lossPhrases: Record<AgentLossReason, string> = {
  disconnected: 'lost their connection',
  signed_out: 'signed out',
  remotely_signed_out: 'was signed out remotely',
  deleted: 'no longer has an active account',
  other: 'left',
};

export function idleMessage(minutes: number): RoutingMessage {
  const duration = String(minutes);
  return {
    type: 'routing.idle',
    text: `The chat has been idle for ${duration} minutes`,
    textVars: { duration },
  };
}

/**
 * `routing.archived_<reason>`: the thread closes because nobody can carry it on; for a customer
 * who stopped answering, LiveChat's `archived_customer_disconnected` (no `routing.` prefix).
 */
export function archivedMessage(
  reason: AgentLossReason | 'inactive' | 'customer_inactive' | 'offline',
  details: { agent: string; minutes: number },
): RoutingMessage {
  const type = `routing.archived_${reason}`;
  switch (reason) {
    case 'customer_inactive': {
      const duration = String(details.minutes);
      return {
        type: 'archived_customer_disconnected',
        text: `The chat was closed: the customer has not replied for ${duration} minutes`,
        textVars: { duration },
      };
    }
    case 'inactive': {
      const duration = String(details.minutes);
      return {
        type,
        text: `The chat was closed after ${duration} minutes of inactivity`,
        textVars: { duration },
      };
    }
    case 'offline':
      return { type, text: 'The chat was closed: no agent was available', textVars: {} };
    case 'other':
      return { type, text: 'The chat was closed', textVars: {} };
    default:
      return {
        type,
        text: `The chat was closed because ${details.agent} ${lossPhrases[reason]}`,
        textVars: { agent: details.agent },
      };
  }
}

/** `routing.assigned_<reason>`: another agent took over from the one who is gone. */
export function assignedMessage(
  reason: AgentLossReason | 'inactive',
  details: { added: string; removed: string; minutes: number },
): RoutingMessage {
  const type = `routing.assigned_${reason}`;
  const vars = { agent_added: details.added, agent_removed: details.removed };
  const lead = `The chat was assigned to ${details.added}`;
  switch (reason) {
    case 'inactive': {
      const duration = String(details.minutes);
      return {
        type,
        text: `${lead} because ${details.removed} did not reply for ${duration} minutes`,
        textVars: { ...vars, duration },
      };
    }
    case 'other':
      return { type, text: lead, textVars: vars };
    default:
      return {
        type,
        text: `${lead} because ${details.removed} ${lossPhrases[reason]}`,
        textVars: vars,
      };
  }
}

/** `routing.unassigned_<reason>`: the chat waits for an agent again. */
export function unassignedMessage(reason: AgentLossReason, agent: string): RoutingMessage {
  const type = `routing.unassigned_${reason}`;
  if (reason === 'other') return { type, text: 'The chat is unassigned', textVars: {} };
  return {
    type,
    text: `The customer is waiting for an agent because ${agent} ${lossPhrases[reason]}`,
    textVars: { agent },
  };
}
