import { setTimeout as sleep } from 'node:timers/promises';
import { ProtocolError } from '@threadline/protocol';
import {
  decideRepeat,
  fingerprintOf,
  isKept,
  isRecorded,
  isValidKey,
  type Outcome,
  type RequestKey,
  requestKeyOf,
  type Transport,
} from '../domain/idempotency.ts';
import type { Dispatch, DispatchRequest } from './dispatcher.ts';

/** Where outcomes are kept (`@threadline/accounts`' idempotent_requests), shared by gateways. */
export interface IdempotencyStore {
  claim(input: { id: string; fingerprint: string; now: Date; expiresAt: Date }): Promise<boolean>;
  find(id: string): Promise<{ fingerprint: string; outcome: unknown; claimedAt: Date } | undefined>;
  takeOver(input: { id: string; claimedAt: Date; now: Date }): Promise<boolean>;
  complete(id: string, outcome: Outcome): Promise<void>;
  release(id: string): Promise<void>;
}

export interface IdempotencyOptions {
  store: IdempotencyStore;
  /** How long an outcome is kept, per transport (Web API keys are chosen by the client on purpose). */
  windowMs: Record<Transport, number>;
  /** After this, a request still running is taken to be lost with its gateway (request timeout + margin). */
  leaseMs: number;
  pollMs?: number;
  now?: () => Date;
  onStoreError: (error: unknown) => void;
}

/**
 * Answers a repeated request (same key, same caller) with the first one's outcome, and runs the
 * first one under a command id derived from the key. The key is the Web API's `Idempotency-Key`
 * header or, for an RTM session that logged in with `idempotent_request_ids` (its client promises
 * unique ids), the frame's `request_id`. LiveChat clients are not asked to keep request_ids unique
 * across connections, so without that promise RTM requests always run. Reusing a key for a
 * different request is `validation`.
 */
export function withIdempotency(dispatch: Dispatch, options: IdempotencyOptions): Dispatch {
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 50;

  return async (request) => {
    const key = keyOf(request);
    if (key === undefined) return dispatch(request);
    const fingerprint = fingerprintOf(request.version, request.action, request.payload);
    const run = () => runFirst(request, key);
    for (;;) {
      const claimedAt = now();
      if (
        await options.store.claim({
          id: key.id,
          fingerprint,
          now: claimedAt,
          expiresAt: new Date(claimedAt.getTime() + options.windowMs[request.transport]),
        })
      ) {
        return run();
      }
      const stored = await options.store.find(key.id);
      if (!stored) continue; // released or expired in between: claim it again
      const repeat = decideRepeat(
        { ...stored, outcome: (stored.outcome ?? undefined) as Outcome | undefined },
        { fingerprint, now: now(), leaseMs: options.leaseMs },
      );
      switch (repeat.type) {
        case 'answer':
          return answer(repeat.outcome);
        case 'mismatch':
          throw new ProtocolError('validation', 'The key was already used for a different request');
        case 'take_over':
          if (await options.store.takeOver({ id: key.id, claimedAt: stored.claimedAt, now: now() }))
            return run();
          break;
        case 'wait':
          await sleep(pollMs);
          break;
      }
    }
  };

  /** Runs the request and keeps its outcome, unless it is worth trying again. */
  async function runFirst(request: DispatchRequest, key: RequestKey): Promise<unknown> {
    let outcome: Outcome;
    try {
      outcome = {
        type: 'result',
        result: (await dispatch({ ...request, commandId: key.commandId })) ?? {},
      };
    } catch (error) {
      if (!(error instanceof ProtocolError)) {
        await settle(key, undefined);
        throw error;
      }
      outcome = { type: 'error', error: error.toEnvelope().error };
    }
    await settle(key, outcome);
    return answer(outcome);
  }

  /**
   * Keeps the outcome or frees the key. If the store cannot be written, the answer still goes
   * out: the claim stays until its lease ends, and a repeat then runs again under the same
   * command id, which the services absorb.
   */
  async function settle(key: RequestKey, outcome: Outcome | undefined): Promise<void> {
    try {
      if (outcome && isKept(outcome)) await options.store.complete(key.id, outcome);
      else await options.store.release(key.id);
    } catch (error) {
      options.onStoreError(error);
    }
  }

  function keyOf(request: DispatchRequest): RequestKey | undefined {
    const identity = request.identity;
    if (!identity || !isRecorded(request.action)) return undefined;
    const key = request.context.idempotencyKey;
    if (key === undefined) return undefined;
    if (!isValidKey(key)) {
      throw new ProtocolError(
        'validation',
        'An idempotency key (Idempotency-Key, request_id) must be 1 to 255 visible ASCII characters',
      );
    }
    return requestKeyOf({
      transport: request.transport,
      api: request.api,
      organizationId: identity.organizationId,
      userId: identity.userId,
      key,
    });
  }
}

function answer(outcome: Outcome): unknown {
  if (outcome.type === 'result') return outcome.result;
  const { type, message, data } = outcome.error;
  throw new ProtocolError(type as ProtocolError['type'], message, data);
}
