import { randomUUID } from 'node:crypto';
import {
  type Customer,
  findCustomer,
  type Greeting,
  type Identity,
  listGreetingDisplays,
  recordGreetingDisplay,
  touchVisit,
} from '@threadline/accounts';
import {
  chooseGreeting,
  type GreetingAgent,
  incomingGreeting,
  isLive,
  nextGreetingMoment,
  pendingGreeting,
  type VisitFacts,
} from '../domain/greeting-rules.ts';
import { createActiveGreetings } from './active-greetings.ts';
import { agentCard, predictedAgentCard } from './agent-cards.ts';
import type { LocalMethodDependencies } from './methods/local-method.ts';
import { customerChats } from './methods/service-calls.ts';

/** `sessions`: this gateway's RTM connections; a timed greeting goes only to a customer here. */
export type GreetingOfferDependencies = Pick<
  LocalMethodDependencies,
  'db' | 'services' | 'subjects' | 'logger' | 'pushes' | 'sessions'
> & { now?: () => Date };

export interface GreetingCheck {
  /** The customer's group in this session. */
  groupId: number;
  /** Whether the customer chats now; asked from chat-store when not given. */
  hasActiveChat?: boolean | undefined;
  /** The customer as the caller has just read or written it; read here when not given. */
  customer?: Customer | undefined;
}

/** A timed re-check waits at most this long (a greeting for a longer stay waits for a page). */
const maxWaitMs = 60 * 60 * 1000;

/**
 * Shows customers the greetings their page and visit match (spec §4.2 `incoming_greeting`). Each
 * check marks the customer present (their visit), and when a greeting's only missing condition is
 * time (`time_on_page`, `time_on_site`), a timer on this gateway checks again when it is due.
 */
export function createGreetingOffers(dependencies: GreetingOfferDependencies) {
  const { db, logger } = dependencies;
  const now = dependencies.now ?? (() => new Date());
  const timers = new Map<string, NodeJS.Timeout>();
  const activeGreetings = createActiveGreetings(db);

  /**
   * Checks the customer's greetings after a login or a page: returns the greeting still in front
   * of them (the login response's `greeting`), or pushes a new one that matches. A failure is
   * logged, never the login's or the page's failure: greetings are an extra.
   */
  async function check(
    identity: Identity,
    request: GreetingCheck,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      return await checkOrThrow(identity, request);
    } catch (error) {
      logger.warn({ err: error, customer: identity.userId }, 'greeting check failed');
      return undefined;
    }
  }

  async function checkOrThrow(
    identity: Identity,
    request: GreetingCheck,
  ): Promise<Record<string, unknown> | undefined> {
    const { organizationId, userId: customerId } = identity;
    const key = `${organizationId}:${customerId}`;
    clearTimeout(timers.get(key));
    timers.delete(key);
    const at = now();
    const [visit, greetings] = await Promise.all([
      touchVisit(db, { organizationId, customerId, now: at }),
      activeGreetings.of(organizationId, request.groupId),
    ]);
    // No active greeting in the group: nothing is pending (a shown greeting counts only while
    // live), nothing to show, nothing to wait for. Only the visit had to be recorded.
    if (greetings.length === 0) return undefined;
    const [customer, displays, hasActiveChat] = await Promise.all([
      request.customer ?? findCustomer(db, organizationId, customerId),
      listGreetingDisplays(db, { organizationId, customerId, visit: visit.number }),
      request.hasActiveChat ??
        customerChats(dependencies, organizationId, customerId).then(
          (chats) => chats.activeChatIds.length > 0,
        ),
    ]);
    // A greeting deactivated, deleted or past its active window since it was shown is no longer
    // in front of the customer.
    const live = new Set(
      greetings.filter((greeting) => isLive(greeting, at)).map((greeting) => greeting.id),
    );
    const thisVisit = displays.thisVisit.filter((display) => live.has(display.greetingId));
    const pending = pendingGreeting(thisVisit, hasActiveChat);
    if (pending || !customer) return pending;
    const page = customer.lastPage;
    const facts: VisitFacts = {
      now: at,
      page: page && { url: page.url, title: page.title, openedAt: new Date(page.opened_at) },
      visitStartedAt: visit.startedAt,
      visitsCount: visit.number,
    };
    const situation = { groupId: request.groupId, thisVisit, facts };
    const greeting = chooseGreeting(greetings, { ...situation, hasActiveChat });
    if (greeting) {
      await display(identity, greeting, {
        visit: visit.number,
        displayedFirstTime: !displays.shownGreetingIds.has(greeting.id),
        now: at,
      });
      return undefined;
    }
    const next = hasActiveChat ? undefined : nextGreetingMoment(greetings, situation);
    if (next && next.getTime() - at.getTime() <= maxWaitMs) {
      const timer = setTimeout(() => {
        timers.delete(key);
        if (dependencies.sessions.ofUser(organizationId, customerId).length === 0) return;
        void check(identity, { groupId: request.groupId });
      }, next.getTime() - at.getTime());
      timer.unref();
      timers.set(key, timer);
    }
    return undefined;
  }

  async function display(
    identity: Identity,
    greeting: Greeting,
    options: { visit: number; displayedFirstTime: boolean; now: Date },
  ): Promise<void> {
    const { organizationId, userId: customerId } = identity;
    const agent = await greetingAgent(identity, greeting);
    if (!agent) return;
    const uniqueId = randomUUID();
    const payload = incomingGreeting(greeting, { uniqueId, agent, ...options });
    const recorded = await recordGreetingDisplay(db, {
      organizationId,
      customerId,
      greetingId: greeting.id,
      visit: options.visit,
      uniqueId,
      payload,
      now: options.now,
    });
    if (recorded)
      dependencies.pushes.toUsers(organizationId, [customerId], 'incoming_greeting', payload);
  }

  /**
   * The greeting's own agent, else the one the router would pick; none when the group has no
   * agent to chat with (LiveChat greets only when a chat could start).
   */
  async function greetingAgent(
    identity: Identity,
    greeting: Greeting,
  ): Promise<GreetingAgent | undefined> {
    try {
      const { type: _type, ...card } = greeting.agentId
        ? await agentCard(db, identity.organizationId, greeting.agentId)
        : await predictedAgentCard(
            dependencies,
            identity.organizationId,
            identity.userId,
            greeting.groupId,
          );
      return card;
    } catch (error) {
      logger.debug({ err: error, greeting: greeting.id }, 'no agent for the greeting');
      return undefined;
    }
  }

  return {
    check,
    /** This gateway changed the organization's greetings: the next checks read them afresh. */
    greetingsChanged(organizationId: string): void {
      activeGreetings.forget(organizationId);
    },
    /** Stops the timed checks (shutdown). */
    close(): void {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}

export type GreetingOffers = ReturnType<typeof createGreetingOffers>;
