import type { Api } from '../catalog.ts';
import {
  coreVersion,
  type EachRewrite,
  type Rewrite,
  type VersionDelta,
  type VersionPush,
  versionDeltas,
} from './deltas.ts';

/**
 * The deltas between `version` and the core, oldest first: 3.4 → [3.4, 3.5], 3.7 → [3.7], 3.6 → [].
 * Requests apply them in this order; responses and pushes in the reverse one.
 */
export function deltasToCore(
  version: string,
  deltas: readonly VersionDelta[] = versionDeltas,
): VersionDelta[] {
  const chain: VersionDelta[] = [];
  let current = version;
  while (current !== coreVersion) {
    const delta = deltas.find((candidate) => candidate.version === current);
    if (!delta) break;
    chain.push(delta);
    current = delta.closerToCore;
  }
  return chain;
}

/** Whether `action` is a method of `api` in `version` (the catalog holds every version's methods). */
export function versionHasMethod(version: string, api: Api, action: string): boolean {
  const chain = deltasToCore(version);
  if (chain.some((delta) => delta.lacksMethods?.[api]?.includes(action))) return false;
  const ownerDelta = versionDeltas.find((delta) => delta.onlyMethods?.[api]?.includes(action));
  return ownerDelta === undefined || chain.includes(ownerDelta);
}

/** A request payload of `version`, as the core expects it. */
export function requestToCore(
  version: string,
  api: Api,
  action: string,
  payload: unknown,
): unknown {
  return deltasToCore(version).reduce(
    (current, delta) => apply(delta.requests?.[api]?.[action], current),
    payload,
  );
}

/** A core response payload, as `version` answers it. */
export function responseFromCore(
  version: string,
  api: Api,
  action: string,
  payload: unknown,
): unknown {
  return deltasToCore(version).reduceRight(
    (current, delta) => apply(delta.responses?.[api]?.[action], current),
    payload,
  );
}

/**
 * A core push as `version` sends it: usually one push of the same name with its payload
 * rewritten; none when `version` lacks it; another name, or several pushes, where a version
 * named or grouped it differently (3.4's auto access pushes).
 */
export function pushesFromCore(
  version: string,
  api: 'agent' | 'customer',
  action: string,
  payload: unknown,
): VersionPush[] {
  return deltasToCore(version).reduceRight<VersionPush[]>(
    (pushes, delta) =>
      pushes.flatMap((push) => {
        if (delta.lacksPushes?.[api]?.includes(push.action)) return [];
        const renamed = delta.renamedPushes?.[api]?.[push.action];
        if (renamed) return renamed(push.payload);
        return [{ ...push, payload: apply(delta.pushes?.[api]?.[push.action], push.payload) }];
      }),
    [{ action, payload }],
  );
}

function apply(rewrite: Rewrite | EachRewrite | undefined, payload: unknown): unknown {
  if (!rewrite) return payload;
  if (typeof rewrite !== 'function') {
    return Array.isArray(payload) ? payload.map((item) => apply(rewrite.each, item)) : payload;
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  return rewrite(payload as Record<string, unknown>);
}
