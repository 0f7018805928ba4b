import type { MethodName } from './methods.ts';

/**
 * The Configuration API's OAuth scopes, per method (LiveChat 3.6: "Required scopes" of each
 * method). A method needs one of its scopes; LiveChat's general rules widen each listed scope:
 * a `:rw` scope grants what its `:ro` twin does, and an `--all` scope what its `--my`, `--access`
 * or `--groups` twin does (`withStronger`). Methods absent here need no scope.
 */

/** The scope itself and every scope that contains it under LiveChat's general rules. */
function withStronger(scope: string): string[] {
  const [name = scope, access = ''] = scope.split(':');
  const names = [name, name.replace(/--(my|access|groups)$/, '--all')];
  const accesses = access === 'ro' ? ['ro', 'rw'] : [access];
  return [...new Set(names.flatMap((each) => accesses.map((level) => `${each}:${level}`)))];
}

function granting(...scopes: string[]): readonly string[] {
  return [...new Set(scopes.flatMap(withStronger))];
}

const agentsMyRead = granting('agents--my:ro');
const agentsMyWrite = granting('agents--my:rw');
const agentsAllWrite = granting('agents--all:rw');
const accessRulesWrite = granting('access_rules:rw');
const botTemplates = granting('bots.templates:rw');
const botsWrite = granting('agents-bot--my:rw');
const greetingsWrite = granting('greetings:rw');
const groupsMyWrite = granting('groups--my:rw');
const propertiesConfiguration = granting('properties.configuration:rw');
const licensePropertiesWrite = granting('properties.license.value--my:rw');
const groupPropertiesWrite = granting('properties.group.value--my:rw');
const tagsWrite = granting('tags--groups:rw');
const webhooksConfiguration = granting('webhooks.configuration:rw');
const webhooksState = granting('webhooks.state:rw');

const configurationMethodScopes: Partial<Record<MethodName, readonly string[]>> = {
  create_agent: granting('accounts--all:rc', 'accounts--all:rw'),
  get_agent: agentsMyRead,
  list_agents: granting('agents--all:ro'),
  update_agent: agentsMyWrite,
  delete_agent: agentsMyWrite,
  suspend_agent: agentsAllWrite,
  unsuspend_agent: agentsAllWrite,
  approve_agent: agentsAllWrite,
  reactivate_email: agentsAllWrite,
  batch_create_agents: granting('accounts--all:rc', 'accounts--all:rw'),
  batch_update_agents: agentsMyWrite,
  batch_delete_agents: agentsMyWrite,
  batch_suspend_agents: agentsAllWrite,
  batch_unsuspend_agents: agentsAllWrite,
  batch_approve_agents: agentsAllWrite,
  add_auto_access: accessRulesWrite,
  update_auto_access: accessRulesWrite,
  delete_auto_access: accessRulesWrite,
  list_auto_accesses: granting('access_rules:ro'),
  create_bot_template: botTemplates,
  update_bot_template: botTemplates,
  delete_bot_template: botTemplates,
  list_bot_templates: botTemplates,
  reset_bot_template_secret: botTemplates,
  create_bot: botsWrite,
  update_bot: botsWrite,
  delete_bot: botsWrite,
  reset_bot_secret: botsWrite,
  batch_create_bots: botsWrite,
  batch_update_bots: botsWrite,
  batch_delete_bots: botsWrite,
  get_bot: granting('agents-bot--my:ro'),
  list_bots: granting('agents-bot--my:ro'),
  list_customer_bans: granting('banlist_read'),
  unban_customer: granting('banlist_write'),
  create_greeting: greetingsWrite,
  update_greeting: greetingsWrite,
  delete_greeting: greetingsWrite,
  get_greeting: granting('greetings:ro'),
  list_greetings: granting('greetings:ro'),
  create_group: granting('groups--all:rw'),
  update_group: groupsMyWrite,
  delete_group: groupsMyWrite,
  get_group: granting('groups--my:ro'),
  list_groups: granting('groups--all:ro'),
  create_tag: tagsWrite,
  update_tag: tagsWrite,
  delete_tag: tagsWrite,
  list_tags: granting('tags--groups:ro'),
  register_property: propertiesConfiguration,
  unregister_property: propertiesConfiguration,
  publish_property: propertiesConfiguration,
  list_properties: propertiesConfiguration,
  update_license_properties: licensePropertiesWrite,
  delete_license_properties: licensePropertiesWrite,
  list_license_properties: granting('properties.license.value--my:ro'),
  update_group_properties: groupPropertiesWrite,
  delete_group_properties: groupPropertiesWrite,
  list_group_properties: granting('properties.group.value--my:ro'),
  list_groups_properties: granting('properties.group.value--all:ro'),
  register_webhook: webhooksConfiguration,
  unregister_webhook: webhooksConfiguration,
  list_webhooks: webhooksConfiguration,
  // Threadline's own delivery log and replays act on the webhooks `webhooks.configuration` manages.
  list_webhook_deliveries: webhooksConfiguration,
  redeliver_webhook_delivery: webhooksConfiguration,
  replay_webhooks: webhooksConfiguration,
  enable_license_webhooks: webhooksState,
  disable_license_webhooks: webhooksState,
  get_license_webhooks_state: granting('webhooks.state:ro'),
  check_product_limits_for_plan: granting('subscription.lc:rw'),
  update_company_details: granting('organization--my:rw'),
  // Threadline's erasure (docs/erasure.md) changes customers: LiveChat's customer scopes.
  erase_customer: granting('customers:rw'),
  list_customer_erasures: granting('customers:ro'),
};

/** The scopes of which a token needs one to call a Configuration API method; undefined: none. */
export function configurationScopesGranting(method: MethodName): readonly string[] | undefined {
  return configurationMethodScopes[method];
}

/** Every scope the Configuration API knows. */
export const configurationScopes: readonly string[] = [
  ...new Set(Object.values(configurationMethodScopes).flatMap((scopes) => scopes ?? [])),
];

/**
 * Methods whose listed scope is a `--my` one that covers only the caller's own agent (`id` is the
 * requester) or groups it is a member of (`id` is one of its groups); any other target needs the
 * `--all` scope (LiveChat: "to update other agents", "to update groups the requester is not a
 * member of").
 */
const ownTargets: Partial<Record<MethodName, { kind: 'agent' | 'group'; all: string }>> = {
  get_agent: { kind: 'agent', all: 'agents--all:ro' },
  update_agent: { kind: 'agent', all: 'agents--all:rw' },
  delete_agent: { kind: 'agent', all: 'agents--all:rw' },
  batch_update_agents: { kind: 'agent', all: 'agents--all:rw' },
  batch_delete_agents: { kind: 'agent', all: 'agents--all:rw' },
  get_group: { kind: 'group', all: 'groups--all:ro' },
  update_group: { kind: 'group', all: 'groups--all:rw' },
  delete_group: { kind: 'group', all: 'groups--all:rw' },
};

/** Whose a Configuration API request is about, for `--my` scopes. */
export interface ConfigurationRequester {
  userId: string;
  groupIds: readonly number[];
}

/**
 * Whether a token limited to `scopes` (undefined: not limited) may make this request: on top of
 * the method's scope, a target other than the requester's own needs the `--all` scope. `payload`
 * is the validated request (batches: `{requests: [{id}, …]}`).
 */
export function configurationTargetsAllowed(
  method: MethodName,
  scopes: readonly string[] | undefined,
  requester: ConfigurationRequester,
  payload: unknown,
): boolean {
  const rule = ownTargets[method];
  if (!scopes || !rule || withStronger(rule.all).some((scope) => scopes.includes(scope))) {
    return true;
  }
  const body = payload as { id?: unknown; requests?: ({ id?: unknown } | null)[] };
  const ids = body.requests ? body.requests.map((request) => request?.id) : [body.id];
  return ids.every((id) =>
    rule.kind === 'agent' ? id === requester.userId : requester.groupIds.includes(id as number),
  );
}
