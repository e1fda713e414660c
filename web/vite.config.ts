/** Builds the playground page into dist/playground, which the bot serves (src/dev/playground/routes.ts). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  build: { outDir: '../dist/playground', emptyOutDir: true },
});
