/**
 * Bundles the bot into dist/main.js (npm start's prestart step; about 0.1 s).
 * One file starts faster than hundreds: loading express, zod, pino and
 * prom-client from node_modules file by file cost about 0.2 s of every start.
 * Kept outside the bundle: better-sqlite3 (a native addon), the Feishu SDK
 * and the axios it shares with us (loaded with require, see
 * src/feishu/sdk.ts), and ioredis, loaded only with REDIS_URL (a lazy chunk).
 */
import { build } from 'esbuild';

await build({
  entryPoints: ['src/main.ts'],
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3', '@larksuiteoapi/node-sdk', 'axios', 'ioredis'],
  // The bundled CommonJS packages call require, which ES modules do not have.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
