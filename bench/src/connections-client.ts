import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';

/**
 * One load-generating process of the connections scenario (forked by `connections.ts`, which talks
 * to it over IPC): opens RTM customer connections from its own loopback source address, logs each
 * in, then holds them idle (answering the gateway's pings) until told to close. Each process has
 * its own file-descriptor limit, so several of them hold more sockets than one could. It exits by
 * itself when the parent goes away or its deadline passes.
 */

/** What the parent asks. */
export type ClientCommand =
  | {
      type: 'open';
      /** ws:// URL of the customer RTM endpoint, with `organization_id`. */
      url: string;
      tokens: string[];
      /** Logins in flight at once. */
      window: number;
    }
  | { type: 'close' };

/** What the process answers to `open`. */
export interface OpenReport {
  type: 'opened';
  /** Wall clock (ms since the epoch, sub-millisecond) of the first connect and the last login. */
  firstConnectAt: number;
  lastLoginAt: number;
  /** Connect → login response, and login sent → login response, ms. */
  connectAndLogin: number[];
  login: number[];
  failures: Record<string, number>;
  open: number;
}

const localAddress = process.env.BENCH_LOCAL_ADDRESS ?? '127.0.0.1';
const deadlineMs = Number(process.env.BENCH_DEADLINE_MS ?? 300_000);
const sockets: WebSocket[] = [];

const wallClock = () => performance.timeOrigin + performance.now();

/** Opens one socket and logs it in; resolves with its timings, or the reason it failed. */
function connectAndLogin(
  url: string,
  token: string,
): Promise<{ connectAndLogin: number; login: number } | { failure: string }> {
  return new Promise((resolve) => {
    const startedAt = performance.now();
    let loginSentAt = 0;
    const socket = new WebSocket(url, { localAddress, perMessageDeflate: false });
    const timer = setTimeout(() => settle({ failure: 'timeout' }), 30_000);
    let settled = false;
    const settle = (outcome: { connectAndLogin: number; login: number } | { failure: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('message');
      if ('failure' in outcome) socket.terminate();
      else sockets.push(socket);
      resolve(outcome);
    };
    socket.on('error', (error) =>
      settle({ failure: (error as { code?: string }).code ?? 'error' }),
    );
    socket.on('close', () => settle({ failure: 'closed' }));
    socket.on('open', () => {
      loginSentAt = performance.now();
      socket.send(
        JSON.stringify({ action: 'login', request_id: '1', payload: { token: `Bearer ${token}` } }),
      );
    });
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as {
        type?: string;
        request_id?: string;
        success?: boolean;
        payload?: { error?: { type?: string; message?: string } };
      };
      if (frame.type !== 'response' || frame.request_id !== '1') return; // a push
      const doneAt = performance.now();
      settle(
        frame.success
          ? { connectAndLogin: doneAt - startedAt, login: doneAt - loginSentAt }
          : { failure: frame.payload?.error?.type ?? 'login failed' },
      );
    });
  });
}

async function open(command: Extract<ClientCommand, { type: 'open' }>): Promise<OpenReport> {
  const report: OpenReport = {
    type: 'opened',
    firstConnectAt: wallClock(),
    lastLoginAt: 0,
    connectAndLogin: [],
    login: [],
    failures: {},
    open: 0,
  };
  let next = 0;
  const worker = async () => {
    while (next < command.tokens.length) {
      const token = command.tokens[next++]!;
      const outcome = await connectAndLogin(command.url, token);
      if ('failure' in outcome) {
        report.failures[outcome.failure] = (report.failures[outcome.failure] ?? 0) + 1;
        continue;
      }
      report.lastLoginAt = wallClock();
      report.connectAndLogin.push(outcome.connectAndLogin);
      report.login.push(outcome.login);
    }
  };
  await Promise.all(Array.from({ length: command.window }, worker));
  report.open = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
  return report;
}

async function closeAll(): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise((resolve) => {
        socket.once('close', resolve);
        socket.close();
      }),
  );
  await Promise.race([Promise.all(closed), new Promise((resolve) => setTimeout(resolve, 5_000))]);
  for (const socket of sockets) socket.terminate();
}

function exit(): void {
  for (const socket of sockets) socket.terminate();
  process.exit(0);
}

process.on('disconnect', exit);
setTimeout(exit, deadlineMs).unref();
process.on('message', (command: ClientCommand) => {
  if (command.type === 'open') {
    void open(command).then((report) => process.send?.(report));
  } else {
    const open = sockets.filter((socket) => socket.readyState === WebSocket.OPEN).length;
    void closeAll().then(() => {
      process.send?.({ type: 'closed', openBeforeClose: open }, () => exit());
    });
  }
});
