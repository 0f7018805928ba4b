import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export const serviceNames = ['chat-store', 'router', 'webhook', 'gateway'] as const;
export type ServiceName = (typeof serviceNames)[number];

/**
 * `WEBHOOK_ALLOWED_NETWORKS` for tests and the demo: their webhook receivers listen on this
 * machine, which the webhook service refuses unless told (a real deployment sends only to public
 * addresses).
 */
export const localWebhookNetworks = '127.0.0.0/8,::1/128';

export interface PlatformOptions {
  natsUrl: string;
  databaseUrl: string;
  namespace: string;
  /** Replicas of every service; tests run two of each. */
  replicas: number;
  /** Which services to start (all four when absent): a test of two services needs no gateway. */
  services?: readonly ServiceName[];
  /** Where each process writes its log (one file per replica). */
  logDir: string;
  /** Fixed gateway ports (one per replica); free ports are picked when absent. */
  gatewayPorts?: number[];
  environment?: Record<string, string>;
}

export interface ServiceProcess {
  service: ServiceName;
  replica: number;
  healthUrl: string;
  /** For gateways: where clients connect. */
  url?: string;
  child: ChildProcess;
}

export interface Platform {
  processes: ServiceProcess[];
  gatewayUrls: string[];
  /** Stops one process the hard way (SIGKILL), as a crash would. */
  kill(service: ServiceName, replica: number): Promise<void>;
  /** Asks one process to stop (SIGTERM), as Kubernetes does, and waits until it has exited. */
  shutDown(service: ServiceName, replica: number): Promise<void>;
  /** Starts a replica again after kill() or shutDown(). */
  restart(service: ServiceName, replica: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts every service as its own Node process, `replicas` of each, exactly as they run in
 * production (same main.ts, configuration from the environment), and waits until each is ready.
 */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  mkdirSync(options.logDir, { recursive: true });
  const processes: ServiceProcess[] = [];
  const launches: Promise<ServiceProcess>[] = [];
  for (const service of options.services ?? serviceNames) {
    for (let replica = 0; replica < options.replicas; replica += 1) {
      launches.push(launch(service, replica, options));
    }
  }
  const started = await Promise.allSettled(launches);
  for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
  const failure = started.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(processes.map((process) => terminate(process.child)));
    throw (failure as PromiseRejectedResult).reason;
  }
  const find = (service: ServiceName, replica: number) => {
    const index = processes.findIndex(
      (process) => process.service === service && process.replica === replica,
    );
    if (index < 0) throw new Error(`no ${service} replica ${replica}`);
    return index;
  };
  return {
    processes,
    gatewayUrls: processes.filter((process) => process.url).map((process) => process.url!),
    async kill(service, replica) {
      const child = processes[find(service, replica)]!.child;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    shutDown: (service, replica) => terminate(processes[find(service, replica)]!.child),
    async restart(service, replica) {
      const index = find(service, replica);
      const previous = processes[index]!;
      processes[index] = await launch(service, replica, options, {
        health: Number(new URL(previous.healthUrl).port),
        ...(previous.url ? { gateway: Number(new URL(previous.url).port) } : {}),
      });
    },
    async stop() {
      await Promise.all(processes.map((process) => terminate(process.child)));
    },
  };
}

/**
 * Starts one replica. Ports are picked free just before the start, so another process can take one
 * in between (parallel test files do): a start that fails on a taken port is retried with new ports.
 */
async function launch(
  service: ServiceName,
  replica: number,
  options: PlatformOptions,
  ports: { health?: number; gateway?: number } = {},
): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await launchOnce(service, replica, options, ports);
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 3 || options.gatewayPorts) throw error;
      ports = {};
    }
  }
}

class PortTakenError extends Error {
  override name = 'PortTakenError';
}

async function launchOnce(
  service: ServiceName,
  replica: number,
  options: PlatformOptions,
  ports: { health?: number; gateway?: number },
): Promise<ServiceProcess> {
  const healthPort = ports.health ?? (await freePort());
  const gatewayPort =
    service === 'gateway'
      ? (ports.gateway ?? options.gatewayPorts?.[replica] ?? (await freePort()))
      : undefined;
  const environment: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NATS_URL: options.natsUrl,
    DATABASE_URL: options.databaseUrl,
    THREADLINE_NAMESPACE: options.namespace,
    HEALTH_PORT: String(healthPort),
    GRPC_PORT: String(await freePort()),
    WEBHOOK_ALLOWED_NETWORKS: process.env.WEBHOOK_ALLOWED_NETWORKS ?? localWebhookNetworks,
    ...(gatewayPort ? { PORT: String(gatewayPort), HOST: '127.0.0.1' } : {}),
    ...options.environment,
  };
  const log = createWriteStream(join(options.logDir, `${service}-${replica}.log`), { flags: 'a' });
  const child = spawn(
    process.execPath,
    // As in the image (deploy/docker/Dockerfile): prototype pollution throws instead of spreading.
    [
      '--disable-proto=throw',
      '--import',
      'tsx',
      join(repositoryRoot, 'services', service, 'src/main.ts'),
    ],
    {
      cwd: join(repositoryRoot, 'services', service),
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  // A test or benchmark that dies (an uncaught error, process.exit) takes its services with it
  // rather than leaving them running on the shared NATS and Postgres.
  const killWithParent = () => child.kill('SIGKILL');
  process.once('exit', killWithParent);
  child.once('exit', () => process.off('exit', killWithParent));
  // The services log (pino, on stdout) why they failed to start; Node's own errors go to stderr.
  let portTaken = false;
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('EADDRINUSE')) portTaken = true;
    });
  }
  child.stderr?.pipe(log);
  const healthUrl = `http://127.0.0.1:${healthPort}`;
  try {
    await waitUntilReady(`${healthUrl}/readyz`, child, `${service}-${replica}`, options.logDir);
  } catch (error) {
    if (portTaken) throw new PortTakenError(String(error), { cause: error });
    throw error;
  }
  return {
    service,
    replica,
    healthUrl,
    child,
    ...(gatewayPort ? { url: `http://127.0.0.1:${gatewayPort}` } : {}),
  };
}

/** Waits until `url` answers 2xx, failing early if the child exits. */
export async function waitUntilReady(
  url: string,
  child: ChildProcess,
  name: string,
  logDir: string,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `${name} exited with code ${child.exitCode} before it was ready; see ${logDir}/${name}.log`,
      );
    }
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within 60 s; see ${logDir}/${name}.log`);
}

/** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
export async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
