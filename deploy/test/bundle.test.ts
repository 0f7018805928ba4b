import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  freePort,
  localWebhookNetworks,
  serviceNames,
  startNodeProcess,
  uniqueNamespace,
} from '@threadline/testkit';
import { testInfrastructure } from '@threadline/testkit/testing';
import { afterAll, describe, expect, it } from 'vitest';

// The image's application directory, made by the Dockerfile's own script outside the repository
// (no node_modules above it, no TypeScript beside it), then run the way the image and the chart's
// migrations Job run it: plain node, no tsx.
const run = promisify(execFile);
const repository = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'threadline-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('each service’s production bundle, as the image runs it', () => {
  it.concurrent.each(serviceNames)(
    '%s: dist/migrate.js migrates, dist/main.js becomes ready on NATS and Postgres and exits 0 on SIGTERM',
    async (service) => {
      const app = join(work, service);
      await run('sh', ['deploy/docker/assemble-app.sh', service, app], { cwd: repository });
      // Nothing for a left-over import of a workspace package or a .ts file to find.
      expect(existsSync(join(app, 'src'))).toBe(false);
      expect(existsSync(join(app, 'node_modules/@threadline'))).toBe(false);
      // Stack traces map back to the service's TypeScript sources.
      const map = JSON.parse(readFileSync(join(app, 'dist/main.js.map'), 'utf8'));
      expect(map.sources.some((source: string) => source.endsWith('src/main.ts'))).toBe(true);
      const { natsUrl, databaseUrl } = testInfrastructure();
      const database = await createTestDatabase(databaseUrl);
      try {
        const healthPort = await freePort();
        const environment = {
          // As in the image; replaces any inherited NODE_OPTIONS (a tsx loader among them).
          NODE_OPTIONS: '--disable-proto=throw --enable-source-maps',
          NATS_URL: natsUrl,
          DATABASE_URL: database.url,
          THREADLINE_NAMESPACE: uniqueNamespace('bundle'),
          HEALTH_PORT: String(healthPort),
          GRPC_PORT: String(await freePort()),
          PORT: String(await freePort()),
          HOST: '127.0.0.1',
          WEB_PAGES_DIR: '',
          WEBHOOK_ALLOWED_NETWORKS: localWebhookNetworks,
        };
        await run(process.execPath, ['dist/migrate.js'], {
          cwd: app,
          env: { ...process.env, ...environment },
        });
        const readyUrl = `http://127.0.0.1:${healthPort}/readyz`;
        const main = await startNodeProcess({
          name: service,
          entry: 'dist/main.js',
          nodeArguments: [],
          cwd: app,
          environment,
          logDir: join(work, 'logs'),
          readyUrl,
        });
        // Readiness round-trips NATS and queries Postgres.
        const ready = await fetch(readyUrl);
        expect(ready.status).toBe(200);
        await main.stop();
        expect({ code: main.child.exitCode, signal: main.child.signalCode }).toEqual({
          code: 0,
          signal: null,
        });
      } finally {
        await database.drop();
      }
    },
  );
});
