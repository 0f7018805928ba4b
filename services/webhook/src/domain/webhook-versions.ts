import { apiVersions, pushesFromCore, type VersionPush } from '@threadline/protocol';
import type { Registration } from './registration.ts';

/**
 * The webhooks a registration receives for one notification of the core version (3.6). A webhook
 * is the agent push of the same name in the registration's API version (LiveChat's webhook
 * references say so of each), so the version deltas that shape pushes shape webhooks too: a push
 * the version lacks sends nothing, a renamed or split one sends its version's pushes (3.4: one
 * `auto_access_*` per rule), a reshaped one its version's payload (3.4's day-keyed
 * `work_scheduler`). The registration gets those named as its action.
 */
export function webhooksInVersion(
  registration: Pick<Registration, 'action' | 'apiVersion'>,
  action: string,
  payload: unknown,
): VersionPush[] {
  return pushesFromCore(registration.apiVersion, 'agent', action, payload).filter(
    (webhook) => webhook.action === registration.action,
  );
}

/** Every name a core notification goes by in some version: whose registrations may want it. */
export function webhookNamesInEveryVersion(action: string, payload: unknown): string[] {
  const names = apiVersions.flatMap(({ version }) =>
    pushesFromCore(version, 'agent', action, payload).map((webhook) => webhook.action),
  );
  return [...new Set(names)];
}
