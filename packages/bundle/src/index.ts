import { defineConfig, type UserConfig } from 'tsdown';

/**
 * The production bundle of a service (STYLE.md §3.2), run as `node dist/main.js` in the image
 * (deploy/docker/Dockerfile): `src/main.ts` and `src/migrate.ts` (the chart's migrations Job) into
 * `dist/`, ESM for Node 24. Each service's tsdown.config.ts is this, built from the service's
 * directory.
 *
 * The @threadline/* packages are inlined: they export TypeScript sources, which plain `node` does
 * not run from node_modules. Every third-party package stays external and is imported from the
 * app's node_modules at runtime, because several find their own files next to their code
 * (grpc-health-check's health.proto, @grpc/reflection's protos, pino's worker files, protobufjs),
 * which inlining would break, and pg and ws load optional native addons by name. An inlined
 * workspace package's imports (pino from @threadline/runtime, @grpc/grpc-js from
 * @threadline/grpc, …) then resolve from the service's own node_modules, which pnpm's strict
 * layout does not give: the image deploys the service with `node-linker=hoisted`, which lays every
 * production dependency, transitive ones included, at the top of /app/node_modules.
 */
export function serviceBundle(): UserConfig {
  return defineConfig({
    entry: ['src/main.ts', 'src/migrate.ts'],
    outDir: 'dist',
    format: 'esm',
    platform: 'node',
    target: 'node24',
    // dist/main.js, not .mjs: the services' package.json says "type": "module".
    fixedExtension: false,
    dts: false,
    // Stack traces in production name the TypeScript source (the image runs node with
    // --enable-source-maps), not a line of a 500 kB bundle.
    sourcemap: true,
    clean: true,
    skipNodeModulesBundle: true,
    noExternal: [/^@threadline\//],
  });
}
