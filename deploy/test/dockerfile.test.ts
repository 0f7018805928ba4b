import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// No Docker engine where this runs: the image is not built here. These are the properties that
// can be read off the Dockerfile's text.
const repository = join(import.meta.dirname, '../..');
const dockerfile = readFileSync(join(repository, 'deploy/docker/Dockerfile'), 'utf8');
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
const stages = instructions.filter((line) => line.startsWith('FROM '));
const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
// What the build stage runs to make the application directory (bundle.test.ts runs it too).
const assemble = readFileSync(join(repository, 'deploy/docker/assemble-app.sh'), 'utf8');

describe('deploy/docker/Dockerfile, read as text (not built)', () => {
  it('has a build stage and a runtime stage on a pinned Node 24 base, never `latest`', () => {
    expect(stages.map((line) => line.split(/\s+AS\s+/i)[1])).toEqual(['build', 'runtime']);
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(dockerfile)?.[1];
    expect(base).toMatch(/^node:24\.\d+\.\d+-[a-z-]+$/);
    expect(dockerfile).not.toMatch(/:latest\b/);
    for (const stage of stages) expect(stage).toMatch(/^FROM \$\{NODE_IMAGE\} AS /);
  });

  it('uses the SERVICE build argument to choose the service, and refuses others', () => {
    expect(dockerfile).toMatch(/^ARG SERVICE$/m);
    expect(dockerfile).toContain('gateway|chat-store|router|webhook) ;;');
    expect(dockerfile).toMatch(/sh deploy\/docker\/assemble-app\.sh "\$\{SERVICE\}" \/out/);
    expect(assemble).toContain('deploy --prod --legacy');
    expect(assemble).toMatch(/pnpm --filter "@threadline\/\$\{service\}" deploy --prod/);
  });

  it('runs the runtime stage as a non-root user by number, under tini', () => {
    const users = [...runtime.matchAll(/^USER (\S+)$/gm)].map((match) => match[1]!);
    expect(users).toHaveLength(1);
    const [uid, gid] = users[0]!.split(':').map(Number);
    expect(uid).toBeGreaterThan(0);
    expect(gid).toBeGreaterThan(0);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
  });

  it('copies only the deployed service into the runtime stage, owned by root (not writable)', () => {
    const copies = [...runtime.matchAll(/^COPY .*$/gm)].map((match) => match[0]);
    expect(copies).toEqual(['COPY --from=build --chown=0:0 /out /app']);
    // gRPC reflection reads them at startup: /app/proto, found above the service's node_modules.
    expect(assemble).toMatch(/cp -r proto "\$\{out\}\/proto"/);
    expect(runtime).toMatch(/TMPDIR=\/tmp/);
  });

  it('runs the service’s bundle with plain node: no tsx, no TypeScript source in the image', () => {
    expect(runtime).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(instructions.filter((line) => /\btsx\b/.test(line))).toEqual([]);
    expect(assemble).toMatch(/run build --out-dir "\$\{out\}\/dist"/);
    expect(assemble).toMatch(/rm -rf "\$\{out\}\/src"/);
    for (const service of ['gateway', 'chat-store', 'router', 'webhook']) {
      const manifest = JSON.parse(
        readFileSync(join(repository, 'services', service, 'package.json'), 'utf8'),
      );
      expect(Object.keys(manifest.dependencies), service).not.toContain('tsx');
      expect(manifest.scripts.build, service).toBe('tsdown');
    }
  });

  it('runs every service and its migrations with __proto__ disabled (prototype pollution throws)', () => {
    expect(runtime).toMatch(/^\s*NODE_OPTIONS="--disable-proto=throw --enable-source-maps" \\$/m);
  });

  it('builds the widget and the console into the gateway’s image alone, and points the gateway at them', () => {
    const build = dockerfile.slice(0, dockerfile.lastIndexOf('\nFROM '));
    // Only for SERVICE=gateway: the web package and the SDK it bundles are installed, then built
    // (static files) into /out/web, which the runtime stage's one COPY carries to /app/web.
    expect(build).toMatch(
      /if \[ "\$\{SERVICE\}" = gateway \]; then pages='--filter @threadline\/web --filter @threadline\/sdk\.\.\.'; fi/,
    );
    expect(build).toMatch(/--filter @threadline\/contracts \$\{pages\}/);
    expect(build).toMatch(
      /if \[ "\$\{SERVICE\}" = gateway \]; then\s*\\\n\s*pnpm --filter @threadline\/web exec vite build --outDir \/out\/web --emptyOutDir;/,
    );
    // Vite reads packages/web/tsconfig.json, which extends the root's.
    expect(build).toMatch(/^COPY [^\n]*\btsconfig\.base\.json \.\/$/m);
    expect(runtime).toMatch(/^\s*WEB_PAGES_DIR=\/app\/web$/m);
  });

  it('has a .dockerignore keeping node_modules, generated code and local state out', () => {
    const ignored = readFileSync(join(repository, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining([
        '**/node_modules',
        '.git',
        'packages/contracts/src/gen',
        '.threadline',
      ]),
    );
  });
});
