import { decideRetry, type RetryPolicy } from '../domain/retry-policy.ts';
import type {
  AttemptRecord,
  BreakerChange,
  ClaimedDelivery,
  DeliveryQueue,
  EndpointBreakers,
  SendOutcome,
  SendWebhook,
} from './ports.ts';

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead';

export interface DeliveryWorkerOptions {
  queue: DeliveryQueue;
  send: SendWebhook;
  breakers: EndpointBreakers;
  policy: RetryPolicy;
  timeoutMs: number;
  /** Requests in flight at once, per replica. */
  concurrency: number;
  /** Requests in flight at once to one endpoint (URL), per replica: the rest stay for others. */
  endpointConcurrency: number;
  /** Fallback when no notification arrives (another replica's retry came due, a lost NOTIFY). */
  pollIntervalMs: number;
  random?: () => number;
  onSettled?: (delivery: ClaimedDelivery, outcome: DeliveryOutcome, attemptMs: number) => void;
  onBreakerChange?: (url: string, change: BreakerChange) => void;
  onError: (error: unknown) => void;
}

export interface DeliveryWorker {
  /** New deliveries may be due: claim now rather than at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the requests in flight to settle. */
  stop(): Promise<void>;
}

/**
 * Sends due webhooks from the outbox. Every replica runs one; `FOR UPDATE SKIP LOCKED` plus a lease
 * (the request timeout and a margin) keeps two workers off the same delivery, and a worker that
 * dies mid-request only delays its claims until the lease runs out. The claim leaves out what
 * must wait (a chat's later webhooks, endpoints with an open circuit or no room left here), and
 * every outcome feeds the endpoint's circuit breaker.
 */
export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const leaseMs = options.timeoutMs + 5_000;
  const random = options.random ?? Math.random;
  const inFlight = new Set<Promise<void>>();
  const inFlightByUrl = new Map<string, number>();
  let stopping = false;
  let pumping = false;
  let pumpAgain = false;
  const retryTimers = new Set<NodeJS.Timeout>();
  const poll = setInterval(() => wake(), options.pollIntervalMs);

  function wake(): void {
    if (stopping) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    void pump();
  }

  async function pump(): Promise<void> {
    pumping = true;
    try {
      do {
        pumpAgain = false;
        const free = options.concurrency - inFlight.size;
        if (free <= 0 || stopping) break;
        const claimed = await options.queue.claimDue(free, leaseMs, {
          inFlight: inFlightByUrl,
          limit: options.endpointConcurrency,
        });
        for (const delivery of claimed) track(delivery);
        // A full claim means more may be waiting; so does an endpoint that just ran out of room,
        // whose rows may have hidden others' from the claim.
        if (claimed.length === free || claimed.some((d) => !hasRoom(d.url))) pumpAgain = true;
      } while (pumpAgain && !stopping);
    } catch (error) {
      options.onError(error);
    } finally {
      pumping = false;
    }
  }

  function hasRoom(url: string): boolean {
    return (inFlightByUrl.get(url) ?? 0) < options.endpointConcurrency;
  }

  function track(delivery: ClaimedDelivery): void {
    inFlightByUrl.set(delivery.url, (inFlightByUrl.get(delivery.url) ?? 0) + 1);
    const work = deliver(delivery);
    inFlight.add(work);
    void work.finally(() => {
      inFlight.delete(work);
      const left = (inFlightByUrl.get(delivery.url) ?? 1) - 1;
      if (left > 0) inFlightByUrl.set(delivery.url, left);
      else inFlightByUrl.delete(delivery.url);
      wake();
    });
  }

  async function deliver(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = new Date();
    const started = performance.now();
    const result = await options.send({
      url: delivery.url,
      body: delivery.body,
      deliveryId: delivery.id,
      attempt: delivery.attempts,
      secretKey: delivery.secretKey,
      timeoutMs: options.timeoutMs,
      action: delivery.action,
      traceparent: delivery.traceparent,
    });
    const attemptMs = performance.now() - started;
    await settle(delivery, result, attemptMs, attemptRecord(startedAt, attemptMs, result));
    await recordBreaker(delivery.url, result.type);
  }

  async function settle(
    delivery: ClaimedDelivery,
    result: SendOutcome,
    attemptMs: number,
    attempt: AttemptRecord,
  ): Promise<void> {
    try {
      if (result.type === 'delivered') {
        await options.queue.markDelivered(delivery, attempt);
        options.onSettled?.(delivery, 'delivered', attemptMs);
        return;
      }
      const decision = decideRetry(options.policy, delivery.attempts, random());
      if (decision.type === 'dead') {
        await options.queue.markDead(delivery, result.error, attempt);
        options.onSettled?.(delivery, 'dead', attemptMs);
        return;
      }
      await options.queue.scheduleRetry(delivery, decision.delayMs, result.error, attempt);
      wakeAfter(decision.delayMs);
      options.onSettled?.(delivery, 'retry', attemptMs);
    } catch (error) {
      // The outcome was not recorded; the lease expires and the delivery is tried again.
      options.onError(error);
      return;
    }
    await options.queue.holdChainBehind(delivery).catch(options.onError);
  }

  async function recordBreaker(url: string, outcome: 'delivered' | 'failed'): Promise<void> {
    try {
      const change = await options.breakers.record(url, outcome);
      if (change) {
        options.onBreakerChange?.(url, change);
        // A closed circuit releases deliveries that waited; an opened one ends before the poll.
        if (change.to === 'closed') wake();
        if (change.openForMs !== undefined) wakeAfter(change.openForMs);
      }
    } catch (error) {
      // The breaker only protects; the delivery's own outcome must still be recorded.
      options.onError(error);
    }
  }

  /** A retry due before the next poll is claimed on time (a few ms late, never early). */
  function wakeAfter(delayMs: number): void {
    if (delayMs >= options.pollIntervalMs || stopping) return;
    const timer = setTimeout(() => {
      retryTimers.delete(timer);
      wake();
    }, delayMs + 5);
    retryTimers.add(timer);
  }

  wake();
  return {
    wake,
    async stop() {
      stopping = true;
      clearInterval(poll);
      for (const timer of retryTimers) clearTimeout(timer);
      while (inFlight.size > 0 || pumping) {
        await Promise.allSettled([...inFlight]);
        if (pumping) await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}

/** What the delivery log keeps of one POST. */
function attemptRecord(startedAt: Date, durationMs: number, result: SendOutcome): AttemptRecord {
  return {
    startedAt,
    durationMs: Math.round(durationMs),
    statusCode: result.status,
    error: result.type === 'failed' ? result.error : undefined,
    responseBodyPrefix: result.responseBodyPrefix,
  };
}
