/**
 * Who may change the organization's configuration. LiveChat expresses this with OAuth scopes an
 * application asks for; Threadline's tokens carry the agent's role instead, so the rules are
 * written in roles: owner, viceowner and administrator manage, normal agents (and bots) read.
 */

export type Role = 'owner' | 'viceowner' | 'administrator' | 'normal';

const rank: Record<Role, number> = { normal: 0, administrator: 1, viceowner: 2, owner: 3 };

/** Owner, viceowner and administrator may change configuration. */
export function isManager(role: Role | undefined): boolean {
  return role !== undefined && rank[role] >= rank.administrator;
}

/**
 * What an agent may change in its own profile without being a manager (LiveChat's
 * `agents--my:rw`): nothing that decides routing or power.
 */
const selfEditable: ReadonlySet<string> = new Set([
  'name',
  'login_status',
  'job_title',
  'mobile',
  'avatar',
  'notifications',
  'email_subscriptions',
  'work_scheduler',
]);

interface Person {
  id: string;
  role: Role;
}

export type AgentAction = 'update' | 'delete' | 'suspend' | 'unsuspend' | 'approve';

/**
 * Why `requester` may not do `action` to `target` (an `authorization` message), or undefined.
 * `fields` are the fields an update sets, `role` the role it gives.
 */
export function agentActionRefusal(
  requester: Person,
  target: Person,
  action: AgentAction,
  change: { fields?: readonly string[]; role?: Role | undefined } = {},
): string | undefined {
  const self = requester.id === target.id;
  if (!isManager(requester.role)) {
    const ownProfile =
      action === 'update' &&
      self &&
      (change.fields ?? []).every((field) => selfEditable.has(field));
    return ownProfile ? undefined : 'Only an owner, viceowner or administrator may do this';
  }
  if (rank[target.role] > rank[requester.role])
    return `An ${requester.role} cannot manage a ${target.role}`;
  if (action === 'delete' || action === 'suspend') {
    if (self) return `You cannot ${action} yourself`;
    if (target.role === 'owner')
      return `The owner cannot be ${action === 'delete' ? 'deleted' : 'suspended'}`;
  }
  if (change.role !== undefined && change.role !== target.role) {
    if (self) return 'You cannot change your own role';
    if (target.role === 'owner') return "The owner's role cannot change";
    return roleGrantRefusal(requester.role, change.role);
  }
  return undefined;
}

/** Why `requester` may not give someone `role` (creating or updating them), or undefined. */
export function roleGrantRefusal(requester: Role | undefined, role: Role): string | undefined {
  if (!isManager(requester)) return 'Only an owner, viceowner or administrator may do this';
  if (rank[role] > rank[requester as Role]) return `An ${requester} cannot grant the ${role} role`;
  return undefined;
}
