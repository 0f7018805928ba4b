import type { Identity } from '@threadline/accounts';
import { chatStoreExecuteSubject, type Subjects } from '@threadline/bus';
import {
  type Api,
  configurationTargetsAllowed,
  findMethod,
  type MethodName,
  type Owner,
  ProtocolError,
  parsePayload,
  scopesAllow,
} from '@threadline/protocol';
import { newCommand, type RequestContext } from './commands.ts';
import { requireActiveAccount } from './configuration-changes.ts';
import type { LocalMethods } from './methods/index.ts';
import type { RateLimiter, Services } from './ports.ts';
import { requireAdmitted } from './rate-limits.ts';

export interface DispatchRequest {
  api: Api;
  version: string;
  action: string;
  payload: unknown;
  /** Undefined only for the methods that need no authentication (`list_webhook_names`). */
  identity: Identity | undefined;
  transport: 'web' | 'rtm';
  context: RequestContext;
  /** The command id to use instead of a fresh one (a request repeated under a key: idempotency.ts). */
  commandId?: string;
}

export interface DispatcherDependencies {
  subjects: Subjects;
  services: Services;
  rateLimiter: RateLimiter;
  /** Whether an OAuth client belongs to an organization (webhook owner checks). */
  clientBelongsTo(clientId: string, organizationId: string): Promise<boolean>;
  /** Methods the gateway answers itself (owner `gateway`, other than the RTM session methods). */
  localMethods?: LocalMethods;
  /**
   * Checks and completes a validated payload before it is sent on (file events, tags and
   * properties: `gateway.ts`).
   */
  preparePayload?: (
    method: MethodName,
    identity: Identity | undefined,
    payload: unknown,
  ) => Promise<unknown>;
}

/**
 * Methods LiveChat serves without a token: the Configuration API's `list_webhook_names`, and the
 * customer GET methods a widget calls before it has a token (organization from the URL).
 */
export const publicMethods: Record<Api, ReadonlySet<string>> = {
  agent: new Set(),
  customer: new Set([
    'get_dynamic_configuration',
    'get_configuration',
    'get_localization',
    'list_license_properties',
    'list_group_properties',
  ]),
  configuration: new Set(['list_webhook_names', 'get_license_id', 'get_organization_id']),
};

/** Who may call each API: agents and bots use the agent and configuration APIs, customers theirs. */
const userTypesByApi: Record<Api, readonly Identity['userType'][]> = {
  agent: ['agent', 'bot'],
  customer: ['customer'],
  configuration: ['agent', 'bot'],
};

/**
 * The one path every forwarded request takes, whichever transport brought it: find the method
 * (unknown → `not_found`; LiveChat documents no answer for this, and a method that does not exist
 * is a resource that does not exist), check the caller may use this API, validate the payload,
 * ask the rate limiter, and send the command to the service that owns the method.
 */
export function createDispatcher(dependencies: DispatcherDependencies) {
  const { subjects } = dependencies;
  const subjectByOwner: Record<Exclude<Owner, 'gateway'>, string> = {
    'chat-store': subjects.chatStoreExecute,
    'chat-store-query': subjects.chatStoreQuery,
    router: subjects.routerExecute,
    webhook: subjects.webhookExecute,
  };

  return async function dispatch(request: DispatchRequest): Promise<unknown> {
    const method = findMethod(request.api, request.action);
    const local =
      method?.owner === 'gateway' ? dependencies.localMethods?.[method.name] : undefined;
    if (
      !method ||
      (method.owner === 'gateway' && !local) ||
      (method.rtmOnly && request.transport === 'web')
    ) {
      throw new ProtocolError('not_found', `Unknown method: ${request.action}`);
    }
    requireAccess(request.api, method.name, request.identity);
    let payload: unknown = parsePayload(method.name, request.payload);
    requireTargetScopes(request.api, method.name, request.identity, payload);
    requireAdmitted(
      await dependencies.rateLimiter.admit({
        identity: request.identity,
        api: request.api,
        action: method.name,
      }),
    );
    if ((method.owner === 'webhook' || clientOwnedMethods.has(method.name)) && request.identity) {
      payload = await withOwnerClient(dependencies, request.identity, method.name, payload);
    }
    if (local) return local({ request, identity: request.identity, payload });
    if (dependencies.preparePayload) {
      payload = await dependencies.preparePayload(method.name, request.identity, payload);
    }
    const command = newCommand({ ...request, action: method.name, payload });
    if (method.owner === 'chat-store') {
      // A chat's commands go to the replica that has its aggregate cached (bus/chat-affinity.ts).
      return dependencies.services.call(
        chatStoreExecuteSubject(subjects, request.identity?.organizationId, payload),
        command,
        { fallbackSubject: subjects.chatStoreExecute },
      );
    }
    return dependencies.services.call(
      subjectByOwner[method.owner as Exclude<Owner, 'gateway'>],
      command,
    );
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

function requireAccess(api: Api, method: MethodName, identity: Identity | undefined): void {
  if (!identity) {
    if (publicMethods[api].has(method)) return;
    throw new ProtocolError('authentication', 'Missing or invalid access token');
  }
  if (!userTypesByApi[api].includes(identity.userType)) {
    throw new ProtocolError('authorization', `A ${identity.userType} cannot use the ${api} API`);
  }
  // Before any lookup: a token without the scope learns nothing about the ids it names.
  if (!scopesAllow(api, method, identity.scopes)) {
    throw new ProtocolError('authorization', `The access token lacks the scope ${method} needs`);
  }
  requireActiveAccount(identity, method);
}

/**
 * A `--my` Configuration API scope covers the requester's own agent and groups; another target
 * needs the `--all` scope. Decided from the request alone, so it reveals nothing about the target.
 */
function requireTargetScopes(
  api: Api,
  method: MethodName,
  identity: Identity | undefined,
  payload: unknown,
): void {
  if (api !== 'configuration' || !identity) return;
  if (!configurationTargetsAllowed(method, identity.scopes, identity, payload)) {
    throw new ProtocolError(
      'authorization',
      `The access token's scope covers only your own agent and groups for ${method}`,
    );
  }
}

/** Configuration methods that act for an OAuth client (`owner_client_id`), like webhook methods. */
const clientOwnedMethods: ReadonlySet<string> = new Set([
  'create_bot',
  'reset_bot_secret',
  'create_bot_template',
  'update_bot_template',
  'delete_bot_template',
  'list_bot_templates',
  'reset_bot_template_secret',
  'register_property',
  'unregister_property',
  'publish_property',
  'list_properties',
]);

const ownerOptional: ReadonlySet<string> = new Set([
  'enable_license_webhooks',
  'disable_license_webhooks',
  'get_license_webhooks_state',
  ...clientOwnedMethods,
]);

/**
 * Webhook methods act for an OAuth client of the requester's organization. A client of another
 * organization is `authorization`. Where LiveChat lets `owner_client_id` default to the token's
 * client, a bearer token issued to a client supplies it; a personal access token has no client,
 * so it must name one (LiveChat: "required with PAT") — Threadline never guesses.
 */
async function withOwnerClient(
  dependencies: DispatcherDependencies,
  identity: Identity,
  method: MethodName,
  payload: unknown,
): Promise<unknown> {
  const body = payload as { owner_client_id?: string };
  if (method === 'list_webhook_names') return payload;
  let ownerClientId = body.owner_client_id;
  if (!ownerClientId && ownerOptional.has(method)) ownerClientId = identity.clientId;
  if (!ownerClientId) {
    throw new ProtocolError(
      'validation',
      'Wrong format of request: owner_client_id is required with a personal access token',
    );
  }
  if (!(await dependencies.clientBelongsTo(ownerClientId, identity.organizationId))) {
    throw new ProtocolError(
      'authorization',
      `Client ${ownerClientId} does not belong to your organization`,
    );
  }
  return { ...body, owner_client_id: ownerClientId };
}
