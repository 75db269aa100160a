// Vite configuration for the web client: the app lives in web/, builds to web/dist (which the
// server serves at /), and in development proxies the API to a server on localhost:8080.
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const root = fileURLToPath(new URL('.', import.meta.url))
const api = 'http://localhost:8080'

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  // Nothing is fetched from the internet at run time, so there is no public/ folder of remote
  // assets either; everything the page needs is bundled.
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The map chunk (MapLibre plus the Natural Earth basemap) is large by nature and loaded only
    // on pages that show a map; the default 500 kB warning would fire on every build.
    chunkSizeWarningLimit: 2500,
  },
  server: {
    proxy: {
      '/api': api,
      '/healthz': api,
      '/readyz': api,
      // Only under /log/: the page at /log itself is the client's (the Verify page).
      '^/log/': api,
    },
  },
})
