import { createHash } from 'node:crypto';
import type { Api } from '@threadline/protocol';

/**
 * Retried requests (Threadline's addition to the protocol). A client that did not hear the answer
 * sends the request again with the same key: the Web API's `Idempotency-Key` header (IETF
 * httpapi draft) or the RTM frame's `request_id`. The first request's outcome is kept for a
 * window and every repeat gets it; the command the services see carries an id derived from the
 * key, so even a repeat that overtakes a lost first attempt is applied once by chat-store.
 */

export type Transport = 'web' | 'rtm';

/** Whose key it is: a key is the caller's own, never another user's or organization's. */
export interface KeyScope {
  transport: Transport;
  api: Api;
  organizationId: string;
  userId: string;
  key: string;
}

export interface RequestKey {
  /** Where the outcome is kept (hex SHA-256 of the scope). */
  id: string;
  /** The command id the services see, the same on every repeat. */
  commandId: string;
}

export function requestKeyOf(scope: KeyScope): RequestKey {
  const digest = createHash('sha256')
    .update(
      [scope.transport, scope.api, scope.organizationId, scope.userId, scope.key].join('\u0000'),
    )
    .digest('hex');
  return { id: digest, commandId: uuidFrom(digest) };
}

/** UUID-shaped (version 8: custom) so command ids look alike whoever made them. */
function uuidFrom(hex: string): string {
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** What the request asked for: a repeat must ask the same, in the same API version. */
export function fingerprintOf(version: string, action: string, payload: unknown): string {
  return createHash('sha256')
    .update(`${version}\u0000${action}\u0000${canonicalJson(payload)}`)
    .digest('hex');
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` are the same request. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Methods that change nothing need no record: asking again is already safe. */
const unrecorded = new Set([
  'login',
  'ping',
  'logout',
  'resume_chats',
  'send_typing_indicator',
  'send_thinking_indicator',
  'send_sneak_peek',
  'send_event_preview',
]);

export function isRecorded(action: string): boolean {
  return !/^(get|list|check)_/.test(action) && !unrecorded.has(action);
}

/** An `Idempotency-Key` the gateway takes: 1–255 visible ASCII characters. */
export function isValidKey(key: string): boolean {
  return /^[\x21-\x7e]{1,255}$/.test(key);
}

export type Outcome =
  | { type: 'result'; result: unknown }
  | { type: 'error'; error: { type: string; message: string; data?: unknown } };

export interface StoredRequest {
  fingerprint: string;
  outcome: Outcome | undefined;
  claimedAt: Date;
}

export type Repeat =
  /** The first request finished: answer what it answered. */
  | { type: 'answer'; outcome: Outcome }
  /** The key was used for another request. */
  | { type: 'mismatch' }
  /** The first request is still running: wait for its outcome. */
  | { type: 'wait' }
  /** The first request's gateway went away mid-request: run it again under the same command id. */
  | { type: 'take_over' };

export function decideRepeat(
  stored: StoredRequest,
  request: { fingerprint: string; now: Date; leaseMs: number },
): Repeat {
  if (stored.fingerprint !== request.fingerprint) return { type: 'mismatch' };
  if (stored.outcome) return { type: 'answer', outcome: stored.outcome };
  if (request.now.getTime() - stored.claimedAt.getTime() > request.leaseMs) {
    return { type: 'take_over' };
  }
  return { type: 'wait' };
}

/**
 * Errors that say "not now" rather than "no" are not kept: a repeat must be able to succeed. The
 * command id stays the same, so a first attempt that did get through is not applied twice.
 */
const transientErrors = new Set([
  'internal',
  'service_unavailable',
  'request_timeout',
  'too_many_requests',
  'pending_requests_limit_reached',
]);

export function isKept(outcome: Outcome): boolean {
  return outcome.type === 'result' || !transientErrors.has(outcome.error.type);
}
