/**
 * Where a chat can be transferred (spec §2 `transfer_chat`'s `target{type: agent|group, ids}`):
 * online agents from `list_agents_for_transfer`, and the organization's groups from the
 * Configuration API's `list_groups` with their `routing_status`, which is what a LiveChat agent
 * app offers. Pure, so the labels and the refusals' wording are unit-tested.
 */

type Json = Record<string, unknown>;

export interface TransferTarget {
  /** `agent:<id>` or `group:<id>`: one value for the one list the agent picks from. */
  value: string;
  label: string;
}

const groupStatusWords: Record<string, string> = {
  accepting_chats: 'accepting chats',
  not_accepting_chats: 'not accepting chats',
  offline: 'offline',
};

export function agentTargets(
  candidates: readonly { agent_id: string; total_active_chats: number }[],
  agents: readonly Json[],
): TransferTarget[] {
  const names = new Map(agents.map((agent) => [agent.id, String(agent.name)]));
  return candidates.map(({ agent_id, total_active_chats }) => ({
    value: `agent:${agent_id}`,
    label: `${names.get(agent_id) ?? agent_id} (${total_active_chats} chats)`,
  }));
}

/** The groups, with whether anyone there accepts chats now. */
export function groupTargets(groups: readonly Json[]): TransferTarget[] {
  return groups.map((group) => {
    const status = groupStatusWords[String(group.routing_status)];
    return {
      value: `group:${group.id}`,
      label: status ? `${group.name} (${status})` : String(group.name),
    };
  });
}

/** The `target` of `transfer_chat` for a picked value (group ids are numbers, agent ids text). */
export function transferTarget(value: string): {
  type: 'agent' | 'group';
  ids: (string | number)[];
} {
  const [type, id = ''] = value.split(/:(.*)/s);
  return type === 'group' ? { type: 'group', ids: [Number(id)] } : { type: 'agent', ids: [id] };
}

const refusals: Record<string, string> = {
  agent_offline: 'That agent is not accepting chats right now; the chat stays with you.',
  group_offline: 'Nobody in that group is accepting chats right now; the chat stays with you.',
  group_unavailable:
    'Everyone in that group who accepts chats is busy right now; the chat stays with you.',
};

/** A refused transfer in the agent's words; any other failure as the server said it. */
export function transferFailure(error: { type?: string; message: string }): string {
  return (error.type && refusals[error.type]) || `Transfer failed: ${error.message}`;
}
