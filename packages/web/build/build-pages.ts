import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

/** Where `./threadline up` and the gateway find the built pages unless told otherwise. */
export const defaultPagesDir = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * Builds the widget and console pages (Vite, about a second) into `outDir`, for the gateway's
 * `WEB_PAGES_DIR`. Answers the directory.
 */
export async function buildWebPages(outDir = defaultPagesDir): Promise<string> {
  await build({
    root: packageRoot,
    configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
