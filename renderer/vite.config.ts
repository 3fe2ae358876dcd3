import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The renderer is served from app://lockup/ in Electron and from the browser
// host in `npm run web`: relative asset paths work for both.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es' },
});
