import WebSocket from 'ws';

const openSockets = new Set<TestSocket>();

export type Frame = Record<string, unknown> & {
  type?: string;
  action?: string;
  request_id?: string;
  success?: boolean;
  payload?: Record<string, unknown>;
  version?: string;
};

/**
 * A bare RTM test client: it keeps every frame the server sends, so tests can look at responses
 * and pushes exactly as they arrived (including ones an SDK would hide).
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;
  private counter = 0;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters) wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Listens before the socket opens: a server may push in the same packet as the handshake. */
  static async open(
    baseUrl: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<TestSocket> {
    const socket = new WebSocket(baseUrl.replace(/^http/, 'ws') + path, { headers });
    const client = new TestSocket(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    openSockets.add(client);
    return client;
  }

  /** Closes every socket tests opened and waits until they are closed. */
  static async closeAll(): Promise<void> {
    const sockets = [...openSockets];
    openSockets.clear();
    for (const client of sockets) client.close();
    await Promise.all(sockets.map((client) => client.closed));
  }

  /** Sends a request frame; returns its request_id. */
  send(action: string, payload: unknown = {}, extra: Record<string, unknown> = {}): string {
    this.counter += 1;
    const requestId = `r${this.counter}`;
    this.socket.send(JSON.stringify({ request_id: requestId, action, payload, ...extra }));
    return requestId;
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.socket.send(data, { binary });
  }

  async request(action: string, payload: unknown = {}, extra: Record<string, unknown> = {}) {
    const requestId = this.send(action, payload, extra);
    return this.response(requestId);
  }

  response(requestId: string, timeoutMs = 10_000): Promise<Frame> {
    return this.waitFor(
      (frame) => frame.type === 'response' && frame.request_id === requestId,
      timeoutMs,
    );
  }

  push(action: string, timeoutMs = 10_000): Promise<Frame> {
    return this.waitFor((frame) => frame.type === 'push' && frame.action === action, timeoutMs);
  }

  waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`),
        );
      }, timeoutMs);
      const check = () => {
        const frame = this.frames.find(predicate);
        if (!frame) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(frame);
      };
      this.waiters.add(check);
    });
  }

  close(): void {
    this.socket.close();
  }
}
