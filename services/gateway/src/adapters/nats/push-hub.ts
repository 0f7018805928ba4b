import type { NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodePush, inConsumerSpan, type Subjects } from '@threadline/bus';
import type { Logger } from '@threadline/runtime';
import type { CustomerPushAudience } from '../../domain/customer-subscriptions.ts';

/** A push as connections receive it: payload parsed once per gateway, not once per connection. */
export interface DeliveredPush extends CustomerPushAudience {
  action: string;
  payload: unknown;
  originConnectionId: string;
  requestId: string;
}

export type PushListener = (push: DeliveredPush) => void;

interface Entry {
  subscription: Subscription;
  listeners: Set<PushListener>;
}

/**
 * One NATS subscription per connected user per gateway, shared by all of that user's connections
 * here and dropped with the last of them: a gateway hears only about users connected to it. Agents
 * also share one subscription per organization, for the pushes every agent of it gets.
 */
export function createPushHub(
  connection: NatsConnection,
  subjects: Subjects,
  logger: Logger,
  onSubscriptionCount: (count: number) => void = () => {},
) {
  const entries = new Map<string, Entry>();

  function subscribe(subject: string): Entry {
    const listeners = new Set<PushListener>();
    const subscription = connection.subscribe(subject, {
      callback: (error, message) => {
        if (error) {
          logger.warn({ err: error, subject }, 'push subscription error');
          return;
        }
        const push = decode(message.data);
        if (!push) return;
        // Connections sending the push record it on this span (rtm-connection.ts).
        inConsumerSpan(`push ${push.action}`, message, () => {
          for (const listener of listeners) {
            try {
              listener(push);
            } catch (listenerError) {
              logger.error({ err: listenerError }, 'push listener failed');
            }
          }
        });
      },
    });
    return { subscription, listeners };
  }

  function decode(data: Uint8Array): DeliveredPush | undefined {
    try {
      const push = decodePush(data);
      return {
        action: push.action,
        payload: push.payloadJson ? JSON.parse(push.payloadJson) : {},
        originConnectionId: push.originConnectionId,
        requestId: push.requestId,
        customerId: push.customerId,
        audienceUserIds: push.audienceUserIds,
        audienceGroupIds: push.audienceGroupIds,
      };
    } catch (error) {
      logger.warn({ err: error }, 'undecodable push dropped');
      return undefined;
    }
  }

  /** Adds a listener to a subject's shared subscription; returns its detach function. */
  function attachSubject(subject: string, listener: PushListener): () => void {
    let entry = entries.get(subject);
    if (!entry) {
      entry = subscribe(subject);
      entries.set(subject, entry);
      onSubscriptionCount(entries.size);
    }
    const attached = entry;
    attached.listeners.add(listener);
    let detached = false;
    return () => {
      if (detached) return;
      detached = true;
      attached.listeners.delete(listener);
      if (attached.listeners.size > 0 || entries.get(subject) !== attached) return;
      entries.delete(subject);
      onSubscriptionCount(entries.size);
      if (!connection.isClosed()) attached.subscription.unsubscribe();
    };
  }

  return {
    /**
     * Starts delivering a user's pushes to `listener`, and with `organizationWide` also the pushes
     * for every agent of the organization (configuration changes); resolves once the NATS server
     * has the subscriptions, so nothing published after login is missed. Returns the detach
     * function.
     */
    async attach(
      organizationId: string,
      userId: string,
      listener: PushListener,
      options: { organizationWide?: boolean } = {},
    ): Promise<() => void> {
      const detachers = [attachSubject(subjects.userPushes(organizationId, userId), listener)];
      if (options.organizationWide) {
        detachers.push(attachSubject(subjects.organizationPushes(organizationId), listener));
      }
      await connection.flush();
      return () => {
        for (const detach of detachers) detach();
      };
    },
    get subscriptionCount(): number {
      return entries.size;
    },
  };
}

export type PushHub = ReturnType<typeof createPushHub>;
