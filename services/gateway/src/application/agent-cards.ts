import { type AccountsDatabase, findAgent } from '@threadline/accounts';
import type { Kysely } from '@threadline/postgres';
import type { LocalMethodDependencies } from './methods/local-method.ts';
import { callService, customerRequester } from './methods/service-calls.ts';

/** An agent as the customer sees it next to a greeting or a welcome message. */
export interface AgentCard {
  id: string;
  name: string;
  avatar: string;
  job_title: string;
  is_bot: boolean;
  type: 'agent' | 'bot';
}

/** The card of an agent of the organization; an unknown id shows as itself. */
export async function agentCard(
  db: Kysely<AccountsDatabase>,
  organizationId: string,
  agentId: string,
): Promise<AgentCard> {
  const agent = await findAgent(db, organizationId, agentId);
  return {
    id: agentId,
    name: agent?.name ?? agentId,
    avatar: agent?.avatar ?? '',
    is_bot: agent?.type === 'bot',
    job_title: agent?.jobTitle ?? '',
    type: agent?.type ?? 'agent',
  };
}

/**
 * The agent the router would give this customer's chat in `groupId` (`get_predicted_agent`);
 * the router's error (e.g. `group_offline`) is thrown.
 */
export async function predictedAgentCard(
  dependencies: Pick<LocalMethodDependencies, 'db' | 'services' | 'subjects'>,
  organizationId: string,
  customerId: string,
  groupId: number,
): Promise<AgentCard> {
  const { agent_id: agentId } = (await callService(
    dependencies,
    dependencies.subjects.routerExecute,
    'get_predicted_agent',
    { group_id: groupId },
    customerRequester(organizationId, customerId),
  )) as { agent_id: string };
  return agentCard(dependencies.db, organizationId, agentId);
}
