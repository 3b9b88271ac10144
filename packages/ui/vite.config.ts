import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The dashboard builds into dist/, which the server serves at `/`; the API is same-origin. */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // the bench reports sizes itself
    reportCompressedSize: false,
  },
  server: {
    // `npx vite packages/ui` during development: the API of a `gantry serve` on 8080
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
