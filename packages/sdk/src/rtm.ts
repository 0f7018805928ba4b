import type { MethodName, MethodPayload, PushFrame, ResponseFrame } from '@threadline/protocol';
import { openRtmSocket } from '#rtm-socket';
import { errorFromEnvelope, ThreadlineApiError } from './errors.ts';
import { newRequestId } from './request-id.ts';
import type { ResumeCursors } from './resume-cursors.ts';
import type { RtmSocket } from './rtm-socket.ts';
import type { ResponsePayload } from './web.ts';

export interface RtmOptions {
  /** e.g. `http://127.0.0.1:8080` (the ws:// URL is derived from it) */
  baseUrl: string;
  api: 'agent' | 'customer';
  organizationId?: string;
  version?: string;
  /** How long a request may wait for its response before it is given up on. */
  requestTimeoutMs?: number;
  /**
   * Opt-in gap-free resume (Threadline's extension): pushes move these cursors, and `login`
   * asks for what each known chat missed. Pass the same cursors to the next connection.
   */
  resume?: ResumeCursors;
  /**
   * Keep every push in `pushes` (the default), so `waitForPush` finds one that already arrived.
   * A long-lived page that only listens turns it off, or the log grows for as long as it runs.
   */
  keepPushes?: boolean;
  /**
   * Extra headers of the websocket's upgrade request, e.g. a `traceparent` its frames continue.
   * Node only: browsers do not let pages set them.
   */
  headers?: Record<string, string>;
}

type PushListener = (push: PushFrame) => void;

interface Pending {
  resolve: (payload: ResponsePayload) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * An RTM connection: requests matched to responses by request_id, pushes delivered to listeners and
 * kept in a log, so a test or bot can wait for a push that may already have arrived.
 */
export class RtmClient {
  readonly pushes: PushFrame[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly listeners = new Set<PushListener>();
  private closedWith: Error | undefined;
  private readonly ended: Promise<void>;
  private markEnded: () => void = () => undefined;

  private constructor(
    private readonly socket: RtmSocket,
    private readonly requestTimeoutMs: number,
    private readonly cursors: ResumeCursors | undefined,
    private readonly keepPushes: boolean,
  ) {
    this.ended = new Promise((resolve) => {
      this.markEnded = resolve;
    });
  }

  /**
   * Connects over the platform's websocket: the `ws` package on Node, the browser's own
   * WebSocket in a browser bundle (the package's `#rtm-socket` import picks it).
   */
  static async connect(options: RtmOptions): Promise<RtmClient> {
    const url = new URL(`/v${options.version ?? '3.6'}/${options.api}/rtm/ws`, options.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (options.organizationId) url.searchParams.set('organization_id', options.organizationId);
    // Handlers are attached before the socket opens: a server may push (e.g. a disconnect
    // reason) right away. They fire only after this function returns the socket.
    let client: RtmClient | undefined;
    const { socket, opened } = openRtmSocket(url, {
      headers: options.headers,
      onText: (text) => client?.receive(text),
      onClose: (code, reason) => client?.end(code, reason),
    });
    client = new RtmClient(
      socket,
      options.requestTimeoutMs ?? 15_000,
      options.resume,
      options.keepPushes ?? true,
    );
    await opened;
    return client;
  }

  get isOpen(): boolean {
    return this.socket.isOpen;
  }

  /**
   * Sends a method call and resolves with its response payload, or rejects with the error envelope.
   * A session that logged in with `idempotent_request_ids` may repeat a request (on a new
   * connection too) under its first `requestId` to have it applied once.
   */
  request<M extends MethodName>(
    action: M,
    payload: MethodPayload<M>,
    options?: { requestId?: string },
  ): Promise<ResponsePayload>;
  request(
    action: string,
    payload?: unknown,
    options?: { requestId?: string },
  ): Promise<ResponsePayload>;
  request(
    action: string,
    payload: unknown = {},
    options: { requestId?: string } = {},
  ): Promise<ResponsePayload> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const requestId = options.requestId ?? newRequestId();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(
          new ThreadlineApiError(
            'request_timeout',
            `no response to ${action} within ${this.requestTimeoutMs} ms`,
          ),
        );
      }, this.requestTimeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
      this.socket.send(JSON.stringify({ request_id: requestId, action, payload }));
    });
  }

  /**
   * Logs in. With resume cursors, the login also asks for every known chat's missed pushes
   * (replayed right after the response); `relist` names the chats to read again (`get_chat`).
   */
  async login(payload: MethodPayload<'login'>): Promise<ResponsePayload & { relist: string[] }> {
    const resume = this.cursors?.request();
    const response = await this.request(
      'login',
      resume && resume.chats.length > 0 ? { ...payload, resume } : payload,
    );
    const relist = this.cursors?.settle(response.resume as Parameters<ResumeCursors['settle']>[0]);
    return { ...response, relist: relist ?? [] };
  }

  /** Sends raw text, for tests of malformed input. */
  sendRaw(text: string): void {
    this.socket.send(text);
  }

  onPush(listener: PushListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the first push (already received or still to come) of `action` that matches. */
  waitForPush(
    action: string,
    matches: (payload: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<PushFrame> {
    const isWanted = (push: PushFrame) =>
      push.action === action && matches(push.payload as Record<string, unknown>);
    const seen = this.pushes.find(isWanted);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        stop();
        reject(new ThreadlineApiError('push_timeout', `no ${action} push within ${timeoutMs} ms`));
      }, timeoutMs);
      const stop = this.onPush((push) => {
        if (!isWanted(push)) return;
        clearTimeout(timer);
        stop();
        resolve(push);
      });
    });
  }

  /** Resolves when the server closes the socket (or it is already closed). */
  closed(): Promise<void> {
    return this.ended;
  }

  /** Cuts the connection without a closing handshake, as a lost network does (Node only). */
  terminate(): Promise<void> {
    this.socket.terminate();
    return this.ended;
  }

  close(): Promise<void> {
    this.socket.close();
    return this.ended;
  }

  private end(code: number, reason: string): void {
    this.closedWith = new ThreadlineApiError(
      'connection_closed',
      `socket closed (${code} ${reason})`,
    );
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(this.closedWith);
      this.pending.delete(id);
    }
    this.markEnded();
  }

  private receive(text: string): void {
    let frame: ResponseFrame | PushFrame;
    try {
      frame = JSON.parse(text) as ResponseFrame | PushFrame;
    } catch {
      return;
    }
    if (frame.type === 'push') {
      this.cursors?.record(frame.payload);
      if (this.keepPushes) this.pushes.push(frame);
      for (const listener of this.listeners) listener(frame);
      return;
    }
    const pending = frame.request_id ? this.pending.get(frame.request_id) : undefined;
    if (!pending || !frame.request_id) return;
    this.pending.delete(frame.request_id);
    clearTimeout(pending.timer);
    if (frame.success) pending.resolve((frame.payload ?? {}) as ResponsePayload);
    else
      pending.reject(
        errorFromEnvelope(frame.payload) ??
          new ThreadlineApiError('internal', 'failed without an error envelope'),
      );
  }
}
