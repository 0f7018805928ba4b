import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

/**
 * Where NATS and Postgres are, in the order a developer expects: the NATS_URL / DATABASE_URL they
 * set, else the local defaults, else servers started from what is installed here (data kept under
 * .threadline/), else a clear error naming what to install.
 */
export interface Infrastructure {
  natsUrl: string;
  databaseUrl: string;
}

const defaultNatsUrl = 'nats://127.0.0.1:4222';
const defaultDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/test';

export async function ensureInfrastructure(options: { dataDir: string }): Promise<Infrastructure> {
  const [natsUrl, databaseUrl] = await Promise.all([
    ensureNats(options.dataDir),
    ensurePostgres(options.dataDir),
  ]);
  return { natsUrl, databaseUrl };
}

async function ensureNats(dataDir: string): Promise<string> {
  const configured = process.env.NATS_URL;
  if (configured) {
    await requireReachable(configured, 'NATS_URL', 4222);
    return configured;
  }
  if (await isReachable('127.0.0.1', 4222)) return defaultNatsUrl;
  const server = findExecutable(['nats-server'], ['/usr/sbin', '/usr/bin', '/usr/local/bin']);
  if (!server && hasDockerEngine()) return (await startContainers()).natsUrl;
  if (!server) {
    throw new Error(
      'NATS is not running on 127.0.0.1:4222 and nats-server is not installed. ' +
        'Install it (Debian: `apt-get install nats-server`), start a Docker engine, or set NATS_URL to a server with JetStream.',
    );
  }
  const storeDir = join(dataDir, 'nats');
  mkdirSync(storeDir, { recursive: true });
  startDetached(server, ['-a', '127.0.0.1', '-p', '4222', '-js', '-sd', storeDir]);
  await waitReachable('127.0.0.1', 4222, 'nats-server');
  return defaultNatsUrl;
}

async function ensurePostgres(dataDir: string): Promise<string> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await requireReachable(configured, 'DATABASE_URL', 5432);
    return configured;
  }
  if (await isReachable('127.0.0.1', 5432)) return defaultDatabaseUrl;
  const binDir = findPostgresBin();
  if (!binDir && hasDockerEngine()) return (await startContainers()).databaseUrl;
  if (!binDir) {
    throw new Error(
      'PostgreSQL is not running on 127.0.0.1:5432 and no PostgreSQL server is installed. ' +
        'Install one (Debian: `apt-get install postgresql`), start a Docker engine, or set DATABASE_URL.',
    );
  }
  const pgData = join(dataDir, 'postgres');
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  if (!existsSync(join(pgData, 'PG_VERSION'))) {
    mkdirSync(pgData, { recursive: true });
    if (asUser.length) await run('chown', ['-R', 'postgres', pgData]);
    await run(asUser[0] ?? join(binDir, 'initdb'), [
      ...asUser.slice(1),
      ...(asUser.length ? [join(binDir, 'initdb')] : []),
      '-D',
      pgData,
      '-U',
      'postgres',
      '--auth=trust',
    ]);
  }
  const pgCtl = [...asUser, join(binDir, 'pg_ctl'), '-D', pgData, '-l', join(pgData, 'server.log')];
  await run(pgCtl[0]!, [...pgCtl.slice(1), '-o', '-h 127.0.0.1 -p 5432 -k /tmp', 'start']);
  await waitReachable('127.0.0.1', 5432, 'postgres');
  await run(asUser[0] ?? join(binDir, 'psql'), [
    ...asUser.slice(1),
    ...(asUser.length ? [join(binDir, 'psql')] : []),
    '-h',
    '127.0.0.1',
    '-U',
    'postgres',
    '-c',
    'CREATE DATABASE test',
  ]).catch(() => undefined);
  return defaultDatabaseUrl;
}

function findPostgresBin(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions
    .map((version) => join(root, version, 'bin'))
    .find((dir) => existsSync(join(dir, 'pg_ctl')));
}

function findExecutable(names: string[], dirs: string[]): string | undefined {
  const path = (process.env.PATH ?? '').split(':');
  for (const dir of [...path, ...dirs]) {
    for (const name of names) if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

function startDetached(command: string, args: string[]): void {
  spawn(command, args, { detached: true, stdio: 'ignore' }).unref();
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

function hostPort(url: string, defaultPort: number): { host: string; port: number } {
  const parsed = new URL(url.split(',')[0]!);
  return { host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || defaultPort) };
}

async function requireReachable(url: string, variable: string, defaultPort: number): Promise<void> {
  const { host, port } = hostPort(url, defaultPort);
  if (!(await isReachable(host, port))) {
    throw new Error(`${variable}=${url} is set, but nothing answers on ${host}:${port}.`);
  }
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

async function waitReachable(host: string, port: number, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (await isReachable(host, port)) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not start listening on ${host}:${port} within 30 s`);
}

function hasDockerEngine(): boolean {
  return Boolean(process.env.DOCKER_HOST) || existsSync('/var/run/docker.sock');
}

let containers: Promise<Infrastructure> | undefined;

/**
 * Where a Docker engine exists but neither server is installed: testcontainers starts NATS (with
 * JetStream) and Postgres once per process; Ryuk removes them when the process ends.
 */
function startContainers(): Promise<Infrastructure> {
  containers ??= (async () => {
    const { GenericContainer, Wait } = await import('testcontainers');
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const [nats, postgres] = await Promise.all([
      new GenericContainer('nats:2.10-alpine')
        .withCommand(['-js'])
        .withExposedPorts(4222)
        .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
        .start(),
      new PostgreSqlContainer('postgres:15-alpine')
        .withUsername('postgres')
        .withPassword('postgres')
        .withDatabase('test')
        .start(),
    ]);
    return {
      natsUrl: `nats://${nats.getHost()}:${nats.getMappedPort(4222)}`,
      databaseUrl: postgres.getConnectionUri(),
    };
  })();
  return containers;
}
