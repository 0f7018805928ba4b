import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/**
 * Where a `node --cpu-prof` profile's CPU time went, without a browser: busy time, then the
 * functions and files with the most self time, as shares of the busy (non-idle) time.
 * `--from`/`--to` (seconds since the profile started) leave out start-up (module loading, tsx's
 * transpiling) and shutdown. Usage:
 * node bench/src/cpu-profile-summary.ts [--from 8] [--to 30] [--top 25] CPU.*.cpuprofile
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '0' },
    to: { type: 'string', default: 'Infinity' },
    top: { type: 'string', default: '25' },
  },
});

for (const file of positionals) summarize(file);

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const fromUs = Number(values.from) * 1e6;
  const toUs = Number(values.to) * 1e6;
  const byFunction = new Map<string, number>();
  const byFile = new Map<string, number>();
  let elapsed = 0;
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    elapsed += delta;
    const frame = nodes.get(id)?.callFrame;
    if (!frame || elapsed < fromUs || elapsed > toUs || frame.functionName === '(idle)') return;
    busy += delta;
    const where = shortUrl(frame.url);
    add(
      byFunction,
      `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`,
      delta,
    );
    add(byFile, where || `(native) ${frame.functionName}`, delta);
  });
  const script = profile.nodes.map((node) => node.callFrame.url).find(isEntryPoint);
  process.stdout.write(`${file} (${script ? shortUrl(script) : 'no entry point'})\n`);
  process.stdout.write(`busy ${(busy / 1e6).toFixed(2)} s\n`);
  for (const [title, totals] of [
    ['self time by function', byFunction],
    ['self time by file or package', byFile],
  ] as const) {
    process.stdout.write(`-- ${title}\n`);
    for (const [name, time] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
      process.stdout.write(`${((100 * time) / busy).toFixed(1).padStart(5)} %  ${name}\n`);
  }
}

function add(totals: Map<string, number>, key: string, delta: number): void {
  totals.set(key, (totals.get(key) ?? 0) + delta);
}

/** A package by name and version, a workspace file by its path in the repository. */
function shortUrl(url: string): string {
  return url
    .replace(/^.*\/node_modules\/\.pnpm\/([^/]+)\/.*$/, '$1')
    .replace(/^file:\/\/.*?\/((services|packages|bench)\/)/, '$1');
}

function isEntryPoint(url: string): boolean {
  return /\/(services\/[^/]+\/src\/main|bench\/src\/[^/]+)\.ts$/.test(url);
}
