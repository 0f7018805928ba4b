import {
  type AgentChanges,
  deleteAgent,
  findAgent,
  type Identity,
  listAgents,
  registerAgent,
  setAgentState,
  updateAgent,
} from '@threadline/accounts';
import { type MethodPayload, ProtocolError } from '@threadline/protocol';
import {
  type AgentAction,
  agentActionRefusal,
  isManager,
  type Role,
  roleGrantRefusal,
} from '../../domain/configuration-roles.ts';
import { agentState, agentView, pick } from '../../domain/configuration-views.ts';
import { givenFields, handle, requireManager } from './configuration-support.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

type Dependencies = Pick<
  LocalMethodDependencies,
  'db' | 'configurationChanges' | 'logger' | 'pushes'
>;

/**
 * What a suspended or deleted agent's RTM connections hear before they close (a control push on
 * the agent's subject; every gateway holding one of its sockets acts on it). Both are reasons
 * LiveChat's clients do not reconnect on.
 */
const disconnectReasons = {
  suspend: 'agent_disconnected_by_server',
  delete: 'access_token_revoked',
} as const;

/** Configuration API: agents (create, read, update, delete, suspend, approve). */
export function createConfigurationAgentMethods(dependencies: Dependencies): LocalMethods {
  const { db, configurationChanges } = dependencies;

  async function requireAgent(caller: Identity, id: string) {
    const agent = await findAgent(db, caller.organizationId, id);
    if (agent?.type !== 'agent') {
      throw new ProtocolError('not_found', `Agent ${id} does not exist`);
    }
    return agent;
  }

  async function authorize(
    caller: Identity,
    id: string,
    action: AgentAction,
    change?: { fields?: string[]; role?: Role | undefined },
  ) {
    const requester = { id: caller.userId, role: (caller.role ?? 'normal') as Role };
    // A non-manager may only edit its own profile, whoever the target is: it is refused before
    // the lookup, so that it cannot tell which agent ids exist from the answers.
    if (!isManager(requester.role)) {
      const refusal = agentActionRefusal(requester, { id, role: 'normal' }, action, change);
      if (refusal) throw new ProtocolError('authorization', refusal);
    }
    const target = await requireAgent(caller, id);
    const refusal = agentActionRefusal(
      requester,
      { id: target.id, role: target.role },
      action,
      change,
    );
    if (refusal) throw new ProtocolError('authorization', refusal);
    return target;
  }

  function disconnect(caller: Identity, agentId: string, reason: string) {
    dependencies.pushes.toUsers(caller.organizationId, [agentId], 'agent_disconnected', { reason });
  }

  /** suspend / unsuspend / approve: one state flag, one push when it changed. */
  function stateChange(
    action: 'suspend' | 'unsuspend' | 'approve',
    state: { suspended?: boolean; awaitingApproval?: boolean },
    push: string,
  ) {
    return handle<'suspend_agent'>(async ({ id }, caller) => {
      await authorize(caller, id, action);
      const { changed } = await setAgentState(db, caller.organizationId, id, state);
      if (!changed) return {};
      if (action === 'suspend') disconnect(caller, id, disconnectReasons.suspend);
      await configurationChanges.announce(caller, push, { id });
      return {};
    });
  }

  return {
    create_agent: handle<'create_agent'>(async (payload, caller) => {
      requireManager(caller);
      const refusal = roleGrantRefusal(caller.role as Role, payload.role ?? 'normal');
      if (refusal) throw new ProtocolError('authorization', refusal);
      const agent = await registerAgent(db, {
        organizationId: caller.organizationId,
        email: payload.id,
        name: payload.name,
        role: payload.role,
        ...agentChanges(payload),
        awaitingApproval: payload.awaiting_approval,
      });
      await configurationChanges.announce(caller, 'agent_created', agentState(agent));
      return { id: agent.id };
    }),

    get_agent: handle<'get_agent'>(async ({ id, fields }, caller) =>
      agentView(await requireAgent(caller, id), fields ?? [], 'avatar'),
    ),

    list_agents: handle<'list_agents'>(async ({ filters, fields }, caller) => {
      const agents = await listAgents(db, caller.organizationId, {
        type: 'agent',
        groupIds: filters?.group_ids,
        suspended: filters?.suspended,
      });
      return agents.map((agent) => agentView(agent, fields ?? [], 'avatar_path'));
    }),

    update_agent: handle<'update_agent'>(async (payload, caller) => {
      const fields = givenFields(payload);
      await authorize(caller, payload.id, 'update', { fields, role: payload.role });
      const updated = await updateAgent(
        db,
        caller.organizationId,
        { id: payload.id, type: 'agent' },
        { ...agentChanges(payload), role: payload.role },
      );
      await configurationChanges.announce(caller, 'agent_updated', {
        id: updated.id,
        ...pick(agentState(updated), fields),
      });
      return {};
    }),

    delete_agent: handle<'delete_agent'>(async ({ id }, caller) => {
      await authorize(caller, id, 'delete');
      await deleteAgent(db, caller.organizationId, { id, type: 'agent' });
      disconnect(caller, id, disconnectReasons.delete);
      await configurationChanges.announce(caller, 'agent_deleted', { id });
      return {};
    }),

    suspend_agent: stateChange('suspend', { suspended: true }, 'agent_suspended'),
    unsuspend_agent: stateChange('unsuspend', { suspended: false }, 'agent_unsuspended'),
    approve_agent: stateChange('approve', { awaitingApproval: false }, 'agent_approved'),

    // LiveChat e-mails the owners; Threadline has no mail, so the request is logged for them.
    request_agent_unsuspension: handle<'request_agent_unsuspension'>(async (_payload, caller) => {
      if (!caller.suspended) throw new ProtocolError('validation', 'Your account is not suspended');
      dependencies.logger.info(
        { organizationId: caller.organizationId, agentId: caller.userId },
        'agent asks to be unsuspended',
      );
      return {};
    }),
  };
}

/** The settings create_agent and update_agent share, in accounts' words. */
function agentChanges(
  payload: MethodPayload<'create_agent'> | MethodPayload<'update_agent'>,
): AgentChanges {
  return {
    name: payload.name,
    loginStatus: payload.login_status,
    jobTitle: payload.job_title,
    mobile: payload.mobile,
    avatar: payload.avatar,
    maxChatsCount: payload.max_chats_count,
    groups: payload.groups,
    notifications: payload.notifications,
    emailSubscriptions: payload.email_subscriptions,
    workScheduler: payload.work_scheduler,
  };
}
