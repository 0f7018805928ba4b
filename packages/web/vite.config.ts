import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const page = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Two pages, one build: `dist/widget/index.html`, `dist/console/index.html` and their hashed
 * files in `dist/assets/`, which the gateway serves under `/widget/`, `/console/` and `/assets/`.
 */
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: { widget: page('widget/index.html'), console: page('console/index.html') },
    },
  },
});
