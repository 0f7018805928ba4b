import type { Identity } from '@threadline/accounts';
import { ProtocolError } from '@threadline/protocol';

/**
 * Announces a committed configuration change: a push to every agent of the organization (on the
 * organization's push subject) and a durable `ConfigurationChange` on
 * `<ns>.configuration.<organization>` for webhooks and the router (docs/internal-contracts.md).
 */
export interface ConfigurationChanges {
  /** `push: false` records the change without the push (webhook-only actions). */
  announce(
    requester: Identity,
    action: string,
    payload: unknown,
    /** `botOwnerClientId`: for bot changes, the bot's owner (ConfigurationChange.bot_owner_client_id). */
    options?: { push?: boolean; botOwnerClientId?: string | undefined },
  ): Promise<void>;
}

/**
 * Suspended agents and agents awaiting approval still authenticate (a suspended agent may ask to
 * be unsuspended), but may do nothing else: `requester_suspended` / `requester_awaiting_approval`.
 */
export function requireActiveAccount(identity: Identity | undefined, action: string): void {
  if (identity?.suspended && action !== 'request_agent_unsuspension') {
    throw new ProtocolError('requester_suspended', 'Your account is suspended');
  }
  if (identity?.awaitingApproval) {
    throw new ProtocolError('requester_awaiting_approval', 'Your account awaits approval');
  }
}
