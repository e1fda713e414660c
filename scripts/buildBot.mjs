/**
 * Bundles the bot into dist/main.js (npm start's prestart step; about a second).
 * One file starts faster than hundreds: loading express, zod, pino,
 * prom-client and the Feishu SDK from node_modules file by file cost about
 * 0.2 s of every start, and importing the SDK's 6 MB CommonJS file from ESM
 * made Node scan all of it for export names, another 0.3 s.
 * Kept outside: better-sqlite3 (a native addon) and ioredis, loaded only with
 * REDIS_URL (a lazy chunk).
 *
 * Memory: V8 keeps every script's source text, and one non-ASCII character
 * makes it keep the whole file at two bytes a character. The SDK's comments
 * are in Chinese, so its file loses its comments and the output is escaped
 * to ASCII: about 25 MB less RSS.
 */
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build, transform } from 'esbuild';

const sdkWithoutComments = {
  name: 'feishu-sdk-without-comments',
  setup(b) {
    b.onLoad({ filter: /@larksuiteoapi[\\/]node-sdk[\\/]lib[\\/]index\.js$/ }, async ({ path }) => {
      const { code } = await transform(await readFile(path, 'utf8'), {
        minifyWhitespace: true,
        loader: 'js',
        format: 'cjs',
      });
      // The SDK finds its version (for its User-Agent) beside its own file, which the bundle no longer is.
      // Without the package installed beside the bundle it just reports version "unknown".
      const here =
        'var __dirname = (() => { try { return require("node:path").dirname(require.resolve("@larksuiteoapi/node-sdk")); } catch { return "."; } })();';
      return { contents: `${here}\n${code}`, loader: 'js' };
    });
  },
};

await rm('dist/chunks', { recursive: true, force: true });
await build({
  // dist/main.js, and the Feishu API thread's entry beside it as dist/feishuThread.js (src/feishu/api/threadedApi.ts).
  entryPoints: { main: 'src/app/main.ts', feishuThread: 'src/app/feishuThread.ts' },
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  external: ['better-sqlite3', 'ioredis'],
  plugins: [sdkWithoutComments],
  // The bundled CommonJS packages call require, which ES modules do not have.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'warning',
});

// esbuild escapes strings but leaves regular expressions, tagged templates and comments as
// written. \uXXXX means the same character there too, except right after a backslash
// (or inside String.raw, which the bot does not use with non-ASCII text).
const toAscii = (file, text) => {
  if (/\\[\u0080-\uffff]/.test(text))
    throw new Error(`${file}: a backslash before a non-ASCII character cannot be escaped safely`);
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
};
const chunks = await readdir('dist/chunks').catch(() => []);
for (const file of ['dist/main.js', ...chunks.map((f) => join('dist/chunks', f))]) {
  await writeFile(file, toAscii(file, await readFile(file, 'utf8')));
}
