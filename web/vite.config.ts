// The console's Vite project. `npm run build:web` writes ../dist/web, which the Fastify process serves at /;
// `npm run dev` runs this dev server (hot reload) in front of the API, proxying the API's paths to it.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Where `npm run dev` runs the API (scripts/dev.js sets it; the API's own default port otherwise).
const api = process.env.PARTNERDESK_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The server's CSP allows no inline script; a module preload polyfill is not needed by current browsers.
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(['/v1', '/openapi.json', '/docs'].map((p) => [p, { target: api }])),
  },
});
