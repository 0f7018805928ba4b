import { randomUUID } from 'node:crypto';
import type { Identity } from '@threadline/accounts';
import { Command, Requester } from '@threadline/contracts';
import { type MethodName, reachesAllChats } from '@threadline/protocol';

/** Where a request came from, beyond the token: the RTM connection and request it arrived on. */
export interface RequestContext {
  connectionId?: string | undefined;
  requestId?: string | undefined;
  /** Customers: the group they logged in to (RTM login `group_id`), else the token's. */
  customerGroupId?: number | undefined;
  /** Customer Web API: the URL's `organization_id` (the only one a token-less GET names). */
  organizationId?: string | undefined;
  /**
   * A repeated request's key: the Web API's `Idempotency-Key` header, or the RTM `request_id` of
   * a session that logged in with `idempotent_request_ids`.
   */
  idempotencyKey?: string | undefined;
}

/**
 * `Command.requester` from a verified identity. Services trust it and never re-authenticate, so
 * it is built only here. A customer is in exactly one group: the requested one, else 0. `action`
 * is the method the requester acts under: it decides whether a `chats--all` token reaches every
 * chat (`allChats`); without one the requester reaches only its groups' chats.
 */
export function toRequester(
  identity: Identity | undefined,
  context: RequestContext,
  action?: string,
): Requester {
  if (!identity) {
    return Requester.fromPartial({
      connectionId: context.connectionId ?? '',
      requestId: context.requestId ?? '',
    });
  }
  const groupIds =
    identity.userType === 'customer'
      ? [context.customerGroupId ?? identity.groupIds[0] ?? 0]
      : identity.groupIds;
  return Requester.fromPartial({
    organizationId: identity.organizationId,
    userId: identity.userId,
    userType: identity.userType,
    name: identity.name,
    email: identity.email,
    avatar: identity.avatar,
    groupIds,
    connectionId: context.connectionId ?? '',
    requestId: context.requestId ?? '',
    maxChatsCount: identity.maxChatsCount,
    role: identity.role ?? '',
    clientId: identity.clientId ?? '',
    allChats:
      action !== undefined && reachesAllChats(action as MethodName, identity.scopes, identity.role),
  });
}

/** A command with a fresh idempotency key, stamped now. */
export function newCommand(options: {
  identity: Identity | undefined;
  context: RequestContext;
  action: string;
  payload: unknown;
  version: string;
  now?: Date;
  /** Replaces the fresh UUID (an internal command whose repeats must be recognised). */
  commandId?: string;
  /** Replaces the requester built from the identity (the gateway asking on its own behalf). */
  requester?: Requester;
}): Command {
  return Command.fromPartial({
    commandId: options.commandId ?? randomUUID(),
    requester: options.requester ?? toRequester(options.identity, options.context, options.action),
    action: options.action,
    payloadJson: JSON.stringify(options.payload ?? {}),
    apiVersion: options.version,
    issuedAt: (options.now ?? new Date()).toISOString(),
  });
}
