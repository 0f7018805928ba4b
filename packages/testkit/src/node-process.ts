import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { terminate, waitUntilReady } from './platform.ts';

export interface NodeProcessOptions {
  /** Names the log file (`<logDir>/<name>.log`). */
  name: string;
  /** The entry point: TypeScript, run with tsx, unless `nodeArguments` says otherwise. */
  entry: string;
  /** Node's own arguments before the entry; `--import tsx` unless given (a bundle needs none). */
  nodeArguments?: string[];
  cwd: string;
  environment: Record<string, string>;
  logDir: string;
  /** Answers 2xx once the process is ready. */
  readyUrl: string;
}

export interface NodeProcess {
  readonly child: ChildProcess;
  /** Stops it the hard way (SIGKILL), as a crash would, and waits until it has exited. */
  kill(): Promise<void>;
  /** Starts it again with the same options. */
  restart(): Promise<void>;
  /** SIGTERM, and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Runs a Node program (an example integration, a tool) as its own process, as a user would start
 * it, and waits until it is ready. It dies with the test process.
 */
export async function startNodeProcess(options: NodeProcessOptions): Promise<NodeProcess> {
  mkdirSync(options.logDir, { recursive: true });
  let child = await launch(options);
  return {
    get child() {
      return child;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
    async restart() {
      child = await launch(options);
    },
    stop: () => terminate(child),
  };
}

async function launch(options: NodeProcessOptions): Promise<ChildProcess> {
  const log = createWriteStream(join(options.logDir, `${options.name}.log`), { flags: 'a' });
  const child = spawn(
    process.execPath,
    [...(options.nodeArguments ?? ['--import', 'tsx']), options.entry],
    {
      cwd: options.cwd,
      env: { ...(process.env as Record<string, string>), ...options.environment },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const killWithParent = () => child.kill('SIGKILL');
  process.once('exit', killWithParent);
  child.once('exit', () => process.off('exit', killWithParent));
  await waitUntilReady(options.readyUrl, child, options.name, options.logDir);
  return child;
}
