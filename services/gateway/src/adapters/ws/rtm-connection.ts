import { randomUUID } from 'node:crypto';
import type { Identity } from '@threadline/accounts';
import {
  failureFrame,
  findApiVersion,
  isServerFault,
  ProtocolError,
  pushesFromCore,
  pushFrame,
  type RequestFrame,
  type ResponseFrame,
  type ResumeCursor,
  responseFromCore,
  successFrame,
} from '@threadline/protocol';
import { activeSpan, type Context, inSpan, markFailed, SpanKind } from '@threadline/runtime';
import WebSocket from 'ws';
import type { Dispatch } from '../../application/dispatcher.ts';
import type { RateLimiter } from '../../application/ports.ts';
import { requireAdmitted } from '../../application/rate-limits.ts';
import type { SessionRegistry } from '../../application/rtm-sessions.ts';
import {
  type AuthenticatedLogin,
  authenticateLogin,
  completeAgentLogin,
  completeCustomerLogin,
  type SessionDependencies,
} from '../../application/sessions.ts';
import type { ConnectionCounts } from '../../domain/connection-counts.ts';
import { withCustomerProfile } from '../../domain/customer-profile.ts';
import {
  type CustomerSubscriptions,
  createCustomerSubscriptions,
  deliversToAgent,
} from '../../domain/customer-subscriptions.ts';
import { type PushFilter, pushVersions, wantsPush } from '../../domain/push-filter.ts';
import { pushCarriesRequestId } from '../../domain/push-request-ids.ts';
import { readRequestFrame } from '../../domain/request-frames.ts';
import { sessionEndReason } from '../../domain/session-ends.ts';
import { isAtLeast } from '../../domain/versions.ts';
import type { GatewayMetrics } from '../../metrics.ts';
import { methodLabel } from '../../metrics.ts';
import type { DeliveredPush, PushHub } from '../nats/push-hub.ts';
import { announceDeparture } from './agent-departure.ts';
import type { Presence } from './presence.ts';
import {
  createRtmResume,
  type ResumeAnswer,
  type RtmResume,
  withResumeAnswer,
} from './rtm-resume.ts';
import { type RtmSocket, textOf } from './rtm-socket.ts';

export interface RtmSettings {
  loginTimeoutMs: number;
  idleTimeoutMs: number;
  pingIntervalMs: number;
  maxPendingRequests: number;
  maxBufferedBytes: number;
  /** A resumed chat further behind than this many batches must be re-listed. */
  resumeMaxBatches: number;
  /** How long a chat push waits for an earlier one before the gap is read from the log. */
  pushGapTimeoutMs: number;
  maxConnectionsPerUser: number;
}

export interface RtmDependencies {
  settings: RtmSettings;
  sessions: SessionDependencies;
  dispatch: Dispatch;
  pushHub: PushHub;
  presence: Presence;
  metrics: GatewayMetrics;
  /** Where session methods find connections (`application/rtm-sessions.ts`). */
  sessionRegistry?: SessionRegistry;
  /** Calls nobody waits for (router `agent_disconnected`); shutdown lets them finish first. */
  notices: Set<Promise<unknown>>;
  /** Login attempts count against the client's address (brute force). */
  rateLimiter: RateLimiter;
  /** Logged-in connections per user, on every gateway (shared like the rate limits' counts). */
  userConnections: ConnectionCounts;
  /** The largest request frame answered; a larger one is `entity_too_large`. */
  maxFrameBytes: number;
}

type State = 'awaiting_login' | 'logging_in' | 'ready' | 'closing';

/** Pushes that arrive while a login is being answered wait, up to this many, for its response. */
const maxPushesDuringLogin = 1_000;
/** How many recent request ids a connection remembers the action of (for push request ids). */
const rememberedRequests = 256;
/** A connection without `subscribe_customers` subscriptions covers no other customer. */
const noSubscriptions = { covers: () => false };
/** setTimeout's ceiling (about 24.8 days). */
const maxTimerMs = 2_147_483_647;

class TooManyConnectionsError extends ProtocolError {
  constructor(max: number) {
    super('too_many_requests', `Too many connections: at most ${max} per user`);
  }
}

/**
 * One RTM websocket (spec §1.4): `login` within the deadline, `ping`, at most N pending requests,
 * pushes forwarded with `request_id` only on the connection that caused them, and a server-side
 * disconnect always announced with `agent_disconnected` / `customer_disconnected` first.
 */
export class RtmConnection {
  readonly id = randomUUID();
  private state: State = 'awaiting_login';
  private session: AuthenticatedLogin | undefined;
  private pushFilter: PushFilter | undefined;
  private pending = 0;
  private pushesDuringLogin: DeliveredPush[] = [];
  /**
   * Pushes caused by a request of this connection that is still being answered, by request id:
   * they go out right after its response (LiveChat's order; its SDKs settle a request on the first
   * frame carrying its request_id and crash or reject on a later one).
   */
  private readonly heldPushes = new Map<string, DeliveredPush[]>();
  /** The action of this connection's recent requests, by request id. */
  private readonly requestActions = new Map<string, string>();
  /** What to send right after a request's response, before its held pushes (a resume's replay). */
  private readonly afterResponse = new Map<string, () => void>();
  /**
   * Made on first use (a push, a resume): most connections are idle widgets that never need
   * one, and its maps and closures are a good part of an idle connection's memory.
   */
  private resumeState: RtmResume | undefined;
  private subscriptions: CustomerSubscriptions | undefined;
  private detachPushes: (() => void) | undefined;
  private present = false;
  private lastActivity = Date.now();
  /** Dropped once logged in: a cleared timer kept in a field still holds its closure. */
  private loginTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** The user whose connection count this connection holds a place in. */
  private countedAs: string | undefined;
  private readonly closeListeners: (() => void)[] = [];

  constructor(
    private readonly socket: RtmSocket,
    readonly api: 'agent' | 'customer',
    private readonly version: string,
    private readonly organizationParam: string | undefined,
    /** The client's address, for the per-address limit on login attempts. */
    private readonly address: string | undefined,
    private readonly dependencies: RtmDependencies,
    /** The upgrade request's trace context: every request frame's span continues it. */
    private readonly traceParent: Context,
  ) {
    const { settings } = dependencies;
    socket.on('message', (data, isBinary) => this.receive(data, isBinary));
    socket.on('pong', () => this.touch());
    socket.on('ping', () => this.touch());
    socket.on('close', () => this.closed());
    socket.on('error', () => {}); // a reset socket also emits close, where cleanup happens
    this.loginTimer = setTimeout(() => {
      if (this.state !== 'ready') this.disconnect('connection_timeout');
    }, settings.loginTimeoutMs);
    dependencies.metrics.rtmConnections.inc({ api });
    dependencies.sessionRegistry?.add(this);
  }

  private get resume(): RtmResume {
    if (this.resumeState) return this.resumeState;
    const { sessions, settings } = this.dependencies;
    this.resumeState = createRtmResume(
      {
        ...sessions,
        maxBatches: settings.resumeMaxBatches,
        gapTimeoutMs: settings.pushGapTimeoutMs,
      },
      {
        identity: () => this.identity,
        sendReplayed: (push) => this.sendPush(push, undefined),
        deliver: (push) => this.deliver(push),
        send: (push) => this.sendLive(push),
      },
    );
    return this.resumeState;
  }

  /** Away (`login.away`, `set_away_status`): this connection does not want new chats. */
  away = false;

  /** Ended by `logout`: the agent signed out rather than lost their connection. */
  private loggedOut = false;

  /** `subscribe_customers`: the customers whose pushes this connection wants besides its own. */
  get customerSubscriptions(): CustomerSubscriptions {
    this.subscriptions ??= createCustomerSubscriptions();
    return this.subscriptions;
  }

  /** The logged-in user, once login succeeded (session methods act on it). */
  get identity(): Identity | undefined {
    return this.state === 'ready' ? this.session?.identity : undefined;
  }

  /** `update_session`: the session goes on with a new token of the same user, and its expiry. */
  renew(identity: Identity): void {
    if (!this.session) return;
    this.session = { ...this.session, identity };
    clearTimeout(this.expiryTimer);
    this.expireWith(identity.expiresAt);
  }

  /**
   * `resume_chats`: answers what each chat's resume did; the replayed pushes follow the response
   * of `requestId`, then the chats' live pushes.
   */
  async resumeChats(cursors: ResumeCursor[], requestId: string | undefined): Promise<ResumeAnswer> {
    const identity = this.identity;
    if (!identity) throw new ProtocolError('authentication', 'Log in first');
    const prepared = await this.resume.prepare(identity, cursors);
    if (requestId === undefined) prepared.flush();
    else this.afterResponse.set(requestId, prepared.flush);
    return prepared.answer;
  }

  /** `logout`: closes the socket once the response written just before has gone out. */
  endAfterResponse(): void {
    this.loggedOut = true;
    setImmediate(() => {
      this.state = 'closing';
      this.socket.close(1000, 'logout');
    });
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  get isClosed(): boolean {
    return this.socket.readyState === WebSocket.CLOSED;
  }

  /** Announces why the server ends this connection, then closes it. */
  disconnect(reason: string, code = 1000): void {
    if (this.state === 'closing') return;
    const action = this.api === 'agent' ? 'agent_disconnected' : 'customer_disconnected';
    this.dependencies.metrics.disconnects.inc({ api: this.api, reason });
    this.send(pushFrame(this.version, action, { reason }));
    this.state = 'closing';
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }

  private receive(data: WebSocket.RawData, isBinary: boolean): void {
    this.touch();
    const reading = readRequestFrame(
      isBinary ? undefined : textOf(data),
      this.dependencies.maxFrameBytes,
    );
    if (reading.ok) void this.traced(reading.frame);
    else this.fail(reading.action, reading.requestId, reading.error);
  }

  /** A request frame in its own span; pings are not traced (clients send one every few seconds). */
  private traced(frame: RequestFrame): Promise<void> {
    if (frame.action === 'ping') return this.handle(frame);
    return inSpan(
      `${this.api} ${methodLabel(frame.action)}`,
      {
        kind: SpanKind.SERVER,
        parent: this.traceParent,
        attributes: { 'network.protocol.name': 'websocket', 'threadline.connection_id': this.id },
      },
      () => this.handle(frame),
    );
  }

  private async handle(frame: RequestFrame): Promise<void> {
    const { action, request_id: requestId } = frame;
    if (frame.version !== undefined && !this.accepts(frame.version)) {
      this.fail(
        action,
        requestId,
        new ProtocolError('unsupported_version', `Unsupported version ${frame.version}`),
      );
      return;
    }
    if (action === 'ping') {
      this.respond(successFrame('ping', {}, requestId), 'ok');
      return;
    }
    if (action === 'login') {
      await this.login(frame);
      return;
    }
    if (this.state !== 'ready') {
      this.fail(action, requestId, new ProtocolError('authentication', 'Log in first'));
      return;
    }
    if (this.pending >= this.dependencies.settings.maxPendingRequests) {
      this.fail(
        action,
        requestId,
        new ProtocolError('pending_requests_limit_reached', 'Too many pending requests'),
      );
      return;
    }
    this.pending += 1;
    this.rememberRequest(requestId, action);
    if (requestId !== undefined && !this.heldPushes.has(requestId)) {
      this.heldPushes.set(requestId, []);
    }
    try {
      const payload = await this.dependencies.dispatch({
        api: this.api,
        version: frame.version ?? this.version,
        action,
        payload: frame.payload,
        identity: this.session?.identity,
        transport: 'rtm',
        context: {
          connectionId: this.id,
          requestId,
          customerGroupId: this.session?.groupId,
          idempotencyKey: this.session?.login.idempotent_request_ids ? requestId : undefined,
        },
      });
      this.respond(successFrame(action, payload ?? {}, requestId), 'ok');
    } catch (error) {
      this.fail(action, requestId, this.asProtocolError(error));
    } finally {
      this.pending -= 1;
      this.releasePushes(requestId);
    }
  }

  private async login(frame: RequestFrame): Promise<void> {
    const requestId = frame.request_id;
    if (this.state !== 'awaiting_login') {
      this.fail('login', requestId, new ProtocolError('validation', 'Already logged in'));
      return;
    }
    this.state = 'logging_in';
    const { sessions, presence, pushHub } = this.dependencies;
    const context = { connectionId: this.id, requestId };
    const version = frame.version ?? this.version;
    try {
      requireAdmitted(this.dependencies.rateLimiter.admitAddress(this.address));
      const { customer, ...session } = await authenticateLogin(sessions, {
        api: this.api,
        version,
        payload: frame.payload,
        organizationParam: this.organizationParam,
        context,
      });
      const { organizationId, userId } = session.identity;
      this.countConnection(`${organizationId}:${userId}`);
      const resumeCursors = session.login.resume?.chats ?? [];
      // Held from before the subscription: nothing of these chats goes out before its replay.
      if (resumeCursors.length > 0) this.resume.hold(resumeCursors.map((cursor) => cursor.chat_id));
      this.session = session;
      this.away = session.login.away === true;
      this.pushFilter = session.login.pushes;
      this.detachPushes = await pushHub.attach(
        organizationId,
        userId,
        (push) => this.deliver(push),
        { organizationWide: this.api === 'agent' },
      );
      const response =
        this.api === 'agent'
          ? await completeAgentLogin(sessions, session, {
              version,
              context,
              announceStatus: presence.count(organizationId, userId) === 0,
            })
          : await completeCustomerLogin(sessions, session, { version, context, customer });
      const resumed = session.login.resume
        ? await this.resume.prepare(session.identity, resumeCursors)
        : undefined;
      if (this.state !== 'logging_in') return; // the socket closed meanwhile
      if (this.api === 'agent') {
        presence.add(organizationId, userId);
        this.present = true;
      }
      this.respond(
        successFrame(
          'login',
          withResumeAnswer(responseFromCore(version, this.api, 'login', response), resumed?.answer),
          requestId,
        ),
        'ok',
      );
      this.state = 'ready';
      clearTimeout(this.loginTimer);
      this.loginTimer = undefined;
      this.expireWith(session.identity.expiresAt);
      resumed?.flush();
      for (const push of this.pushesDuringLogin.splice(0)) this.deliver(push);
    } catch (error) {
      this.detachPushes?.();
      this.detachPushes = undefined;
      this.session = undefined;
      this.pushesDuringLogin = [];
      this.resumeState?.clear();
      this.uncountConnection();
      if (this.state === 'logging_in') this.state = 'awaiting_login';
      this.fail('login', requestId, this.asProtocolError(error));
      if (error instanceof TooManyConnectionsError) this.disconnect('too_many_connections');
    }
  }

  /**
   * Takes this connection's place among its user's connections, or refuses the login: the
   * response is `too_many_requests` (the errors list has no connection-specific type, and the
   * client has exceeded a limit that lifts by itself once it closes connections), followed by
   * the disconnect reason made for this case, `too_many_connections` (spec §4/§5: "don't
   * reconnect"), so SDKs do not retry the login in a loop.
   */
  private countConnection(user: string): void {
    const { userConnections, metrics, settings } = this.dependencies;
    if (!userConnections.tryOpen(user, Date.now())) {
      metrics.limitRefusals.inc({ limit: 'connections' });
      throw new TooManyConnectionsError(settings.maxConnectionsPerUser);
    }
    this.countedAs = user;
  }

  private uncountConnection(): void {
    if (this.countedAs === undefined) return;
    this.dependencies.userConnections.close(this.countedAs);
    this.countedAs = undefined;
  }

  private deliver(push: DeliveredPush): void {
    // A ban, a remote logout or a revoked token ends the user's sockets on every gateway (they
    // hear it as a push); a revocation only those logged in with that token.
    if (push.action === `${this.api}_disconnected`) {
      const reason = sessionEndReason(push.payload, this.session?.identity.credentialId);
      if (reason !== undefined && this.state !== 'closing') this.disconnect(reason);
      return;
    }
    if (push.action === 'customer_updated') this.takeCustomerProfile(push.payload);
    if (this.resume.admit(push) !== 'deliver') return;
    if (this.state === 'logging_in') {
      if (this.pushesDuringLogin.length < maxPushesDuringLogin) this.pushesDuringLogin.push(push);
      return;
    }
    if (this.state !== 'ready') return;
    const identity = this.session?.identity;
    const agent = { id: identity?.userId ?? '', groupIds: identity?.groupIds ?? [] };
    if (!deliversToAgent(push, agent, this.subscriptions ?? noSubscriptions)) return;
    const cause =
      push.originConnectionId === this.id && push.requestId ? push.requestId : undefined;
    const held = cause === undefined ? undefined : this.heldPushes.get(cause);
    if (held) {
      held.push(push);
      return;
    }
    for (const ready of this.resume.inOrder(push)) this.sendLive(ready);
  }

  /** The customer renamed themself, maybe through another gateway: commands go on as the new name. */
  private takeCustomerProfile(update: unknown): void {
    const identity = this.session?.identity;
    const renewed = identity && withCustomerProfile(identity, update);
    if (renewed && this.session) this.session = { ...this.session, identity: renewed };
  }

  /** A live push, with the request id of its cause where that request's SDK expects it. */
  private sendLive(push: DeliveredPush): void {
    const cause =
      push.originConnectionId === this.id && push.requestId ? push.requestId : undefined;
    const requestId =
      cause !== undefined && pushCarriesRequestId(push.action, this.requestActions.get(cause))
        ? cause
        : undefined;
    this.sendPush(push, requestId);
  }

  /** Sends a push (in the core version) in each version the connection hears, as each names it. */
  private sendPush(push: { action: string; payload: unknown }, requestId: string | undefined) {
    for (const version of pushVersions(this.pushFilter, this.version)) {
      // Pushes arrive in the core version; each version sends its own (or none, if it lacks it).
      for (const { action, payload } of pushesFromCore(
        version,
        this.api,
        push.action,
        push.payload,
      )) {
        if (!wantsPush(this.pushFilter, version, action)) continue;
        if (this.send(pushFrame(version, action, payload, requestId))) {
          this.dependencies.metrics.pushesDelivered.inc({ api: this.api });
          activeSpan()?.addEvent('push sent', {
            'threadline.push.action': action,
            'threadline.connection_id': this.id,
          });
        }
      }
    }
  }

  private rememberRequest(requestId: string | undefined, action: string): void {
    if (requestId === undefined) return;
    this.requestActions.delete(requestId);
    this.requestActions.set(requestId, action);
    if (this.requestActions.size > rememberedRequests) {
      const oldest = this.requestActions.keys().next().value;
      if (oldest !== undefined) this.requestActions.delete(oldest);
    }
  }

  private releasePushes(requestId: string | undefined): void {
    if (requestId === undefined) return;
    const after = this.afterResponse.get(requestId);
    this.afterResponse.delete(requestId);
    after?.();
    const held = this.heldPushes.get(requestId) ?? [];
    this.heldPushes.delete(requestId);
    for (const push of held) this.deliver(push);
  }

  /**
   * Writes a frame unless the socket already holds more unsent data than allowed: a client that
   * does not read is cut off rather than allowed to grow the gateway's memory without bound.
   */
  private send(frame: object): boolean {
    if (this.socket.readyState !== WebSocket.OPEN) return false;
    if (this.socket.bufferedAmount > this.dependencies.settings.maxBufferedBytes) {
      this.dependencies.metrics.slowConnections.inc({ api: this.api });
      this.state = 'closing';
      this.socket.terminate();
      return false;
    }
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private respond(frame: ResponseFrame, outcome: string): void {
    this.dependencies.metrics.rtmRequests.inc({
      api: this.api,
      action: methodLabel(frame.action),
      outcome,
    });
    this.send(frame);
  }

  private fail(action: string, requestId: string | undefined, error: ProtocolError): void {
    const span = activeSpan();
    if (span) markFailed(span, error, { expected: !isServerFault(error) });
    this.respond(failureFrame(action, error.toEnvelope(), requestId), error.type);
  }

  private asProtocolError(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    this.dependencies.sessions.logger.error({ err: error, connection: this.id }, 'request failed');
    return new ProtocolError('internal', 'Internal server error');
  }

  /** Requests may name a version, but not one older than the connection's (spec §1.4). */
  private accepts(version: string): boolean {
    return findApiVersion(version) !== undefined && isAtLeast(version, this.version);
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  /**
   * WebSocket pings keep quiet clients (LiveChat's customer SDK never pings) provably alive. The
   * RTM server calls this every ping interval for all its connections: one timer for the
   * process, not one per connection.
   */
  keepAlive(): void {
    if (this.state === 'closing') return;
    if (Date.now() - this.lastActivity > this.dependencies.settings.idleTimeoutMs) {
      this.disconnect('connection_timeout');
      return;
    }
    if (this.socket.readyState === WebSocket.OPEN) this.socket.ping();
  }

  /** An expiring bearer token ends the session when it expires, as LiveChat's do. */
  private expireWith(expiresAt: Date | undefined): void {
    if (!expiresAt) return;
    const delay = Math.min(Math.max(expiresAt.getTime() - Date.now(), 0), maxTimerMs);
    this.expiryTimer = setTimeout(() => this.disconnect('access_token_expired'), delay);
  }

  private closed(): void {
    this.state = 'closing';
    clearTimeout(this.loginTimer);
    clearTimeout(this.expiryTimer);
    this.detachPushes?.();
    this.detachPushes = undefined;
    this.uncountConnection();
    this.resumeState?.stop();
    this.dependencies.metrics.rtmConnections.dec({ api: this.api });
    this.dependencies.sessionRegistry?.remove(this);
    if (this.present && this.session) {
      this.present = false;
      announceDeparture(this.dependencies, this.session.identity, {
        connectionId: this.id,
        version: this.version,
        loggedOut: this.loggedOut,
      });
    }
    for (const listener of this.closeListeners) listener();
  }
}
