import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  findNatsServer,
  findPostgresBin,
  isReachable,
  type LocalServer,
  missingServerBinaries,
  startNatsServer,
  startPostgresServer,
} from './local-servers.ts';
import { freePort } from './platform.ts';

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
  if (!findNatsServer() && hasDockerEngine()) return (await startContainers()).natsUrl;
  if (!findNatsServer()) {
    throw new Error(
      'NATS is not running on 127.0.0.1:4222 and nats-server is not installed. ' +
        'Install it (Debian: `apt-get install nats-server`), start a Docker engine, or set NATS_URL to a server with JetStream.',
    );
  }
  await startNatsServer({ dataDir: join(dataDir, 'nats'), port: 4222, keepRunning: true });
  return defaultNatsUrl;
}

async function ensurePostgres(dataDir: string): Promise<string> {
  const configured = process.env.DATABASE_URL;
  if (configured) {
    await requireReachable(configured, 'DATABASE_URL', 5432);
    return configured;
  }
  if (await isReachable('127.0.0.1', 5432)) return defaultDatabaseUrl;
  if (!findPostgresBin() && hasDockerEngine()) return (await startContainers()).databaseUrl;
  if (!findPostgresBin()) {
    throw new Error(
      'PostgreSQL is not running on 127.0.0.1:5432 and no PostgreSQL server is installed. ' +
        'Install one (Debian: `apt-get install postgresql`), start a Docker engine, or set DATABASE_URL.',
    );
  }
  const server = await startPostgresServer({ dataDir: join(dataDir, 'postgres'), port: 5432 });
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  await client.query('CREATE DATABASE test').catch(() => undefined);
  await client.end();
  return defaultDatabaseUrl;
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

/** NATS and PostgreSQL of a test's own, which it may stop and start (see startPrivateInfrastructure). */
export interface PrivateInfrastructure extends Infrastructure {
  nats: LocalServer;
  postgres: LocalServer;
  /** Stops both servers and removes their data. */
  stop(): Promise<void>;
}

/**
 * Starts a JetStream nats-server and a PostgreSQL cluster from the installed binaries, on free
 * ports with data in a temporary directory, for a test that restarts them: the shared servers
 * other tests use must never be. Throws naming what is missing when a binary is not installed.
 */
export async function startPrivateInfrastructure(): Promise<PrivateInfrastructure> {
  const missing = missingServerBinaries();
  if (missing.length > 0) throw new Error(`Not installed: ${missing.join('; ')}`);
  const root = mkdtempSync(join(tmpdir(), 'threadline-private-'));
  const [nats, postgres] = await Promise.all([
    (async () => startNatsServer({ dataDir: join(root, 'nats'), port: await freePort() }))(),
    (async () =>
      startPostgresServer({ dataDir: join(root, 'postgres'), port: await freePort() }))(),
  ]);
  return {
    natsUrl: nats.url,
    databaseUrl: postgres.url,
    nats,
    postgres,
    async stop() {
      await Promise.allSettled([nats.stop(), postgres.stop()]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
