import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';

/**
 * NATS and PostgreSQL servers run from the binaries installed on this machine: the shared ones a
 * developer keeps between runs (ensureInfrastructure) and private ones a fault-injection test
 * stops and starts at will, each on its own port with its own data directory.
 */
export interface LocalServer {
  url: string;
  /** Stops the server (NATS: SIGTERM; PostgreSQL: fast shutdown) and waits until it is gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same data. */
  start(): Promise<void>;
}

export interface LocalServerOptions {
  /** The store (NATS) or cluster (PostgreSQL) directory; created when missing. */
  dataDir: string;
  port: number;
  /** Leave the server running after this process ends (the shared development servers). */
  keepRunning?: boolean;
}

export function findNatsServer(): string | undefined {
  const path = (process.env.PATH ?? '').split(':');
  for (const dir of [...path, '/usr/sbin', '/usr/bin', '/usr/local/bin']) {
    if (dir && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  }
  return undefined;
}

/** The newest installed PostgreSQL's bin directory (Debian layout). */
export function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions
    .map((version) => join(root, version, 'bin'))
    .find((dir) => existsSync(join(dir, 'pg_ctl')));
}

/** What a private NATS and PostgreSQL need that is not installed here, in words; empty when nothing. */
export function missingServerBinaries(): string[] {
  return [
    ...(findNatsServer() ? [] : ['nats-server (Debian: apt-get install nats-server)']),
    ...(findPostgresBin()
      ? []
      : ['PostgreSQL under /usr/lib/postgresql (Debian: apt-get install postgresql)']),
  ];
}

/** A JetStream nats-server on 127.0.0.1:`port` storing under `dataDir`. */
export async function startNatsServer(options: LocalServerOptions): Promise<LocalServer> {
  const binary = findNatsServer();
  if (!binary)
    throw new Error('nats-server is not installed (Debian: apt-get install nats-server)');
  mkdirSync(options.dataDir, { recursive: true });
  const args = ['-a', '127.0.0.1', '-p', String(options.port), '-js', '-sd', options.dataDir];
  let child: ChildProcess | undefined;
  const server: LocalServer = {
    url: `nats://127.0.0.1:${options.port}`,
    async start() {
      child = spawn(binary, args, {
        detached: Boolean(options.keepRunning),
        stdio: 'ignore',
      });
      if (options.keepRunning) child.unref();
      await waitReachable(options.port, 'nats-server', () => child?.exitCode ?? null);
    },
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGTERM');
      await exited;
    },
  };
  await server.start();
  return server;
}

/**
 * A PostgreSQL cluster in `dataDir` (initdb on first use, trust authentication, user `postgres`)
 * listening on 127.0.0.1:`port`; `url` names its `postgres` database. Run as the `postgres` user
 * when this process is root, since PostgreSQL refuses root. pg_ctl detaches the server, so it
 * outlives this process unless stopped.
 */
export async function startPostgresServer(options: LocalServerOptions): Promise<LocalServer> {
  const binDir = findPostgresBin();
  if (!binDir) {
    throw new Error('PostgreSQL is not installed (Debian: apt-get install postgresql)');
  }
  const asRoot = process.getuid?.() === 0;
  const asPostgres = (binary: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(binDir, binary), ...args])
      : run(join(binDir, binary), args);
  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    mkdirSync(options.dataDir, { recursive: true });
    if (asRoot) {
      // The postgres user must reach the directory through its parent (mkdtemp makes it 0700).
      chmodSync(dirname(options.dataDir), 0o755);
      await run('chown', ['-R', 'postgres', options.dataDir]);
    }
    await asPostgres('initdb', ['-D', options.dataDir, '-U', 'postgres', '--auth=trust']);
  }
  const pgCtl = ['-D', options.dataDir, '-l', join(options.dataDir, 'server.log')];
  const server: LocalServer = {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    async start() {
      await asPostgres('pg_ctl', [
        ...pgCtl,
        '-o',
        `-h 127.0.0.1 -p ${options.port} -k /tmp`,
        '-w',
        'start',
      ]);
      await waitReachable(options.port, 'postgres', () => null);
    },
    async stop() {
      await asPostgres('pg_ctl', [...pgCtl, '-m', 'fast', '-w', 'stop']);
    },
  };
  await server.start();
  return server;
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed: ${stderr}`)),
    );
  });
}

export function isReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function waitReachable(
  port: number,
  what: string,
  exitCode: () => number | null,
): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (exitCode() !== null) throw new Error(`${what} exited with code ${exitCode()} at start`);
    if (await isReachable('127.0.0.1', port)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not start listening on 127.0.0.1:${port} within 30 s`);
}
