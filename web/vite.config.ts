// The interactive page: web/ built into dist/web (npm run build:web, i.e.
// "vite build web"). The page's Web Workers import the simulation straight
// from src/. This file lives in web/, not the project root, so vitest does not
// pick it up (its root and Node stubs are for the browser build only).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const stub = fileURLToPath(new URL('./node-stub.ts', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  // src/sim/build-graph.ts can also load graph files from disk; the page only
  // generates graphs, so those Node built-ins resolve to stubs that throw if
  // ever called. Any other Node import still fails the build, on purpose.
  resolve: { alias: { 'node:fs': stub, 'node:path': stub, 'node:url': stub, 'node:string_decoder': stub } },
  worker: { format: 'es' },
  build: { outDir: fileURLToPath(new URL('../dist/web', import.meta.url)), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
