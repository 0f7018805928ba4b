import type { AgentLoad } from './routing.decide.ts';

/** An agent accepting chats in group 0 with two free slots, for the domain's unit tests. */
export function anAgentLoad(overrides: Partial<AgentLoad> = {}): AgentLoad {
  return {
    agentId: 'a@x.test',
    status: 'accepting_chats',
    groupIds: [0],
    maxChatsCount: 2,
    load: 0,
    lastAssignedAt: undefined,
    ...overrides,
  };
}
