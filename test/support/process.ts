/** Helpers for tests that run the program in a child process, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** How the TypeScript entry points other than the bot (`npm run chat`, the benchmark's helpers) run. */
export const NODE_ARGS = ['--import', 'tsx'];

/**
 * How `npm start` runs the bot once its prestart step has bundled it (jest's
 * global set-up and the benchmark build it first): no wrapper process between.
 * The V8 flags keep the heap small without V8's `--optimize-for-size`, which
 * pins a 1 MB young generation and made the bot spend much of its CPU in
 * garbage collection under load; the old generation grows by 40% between
 * full collections, so they come half as often (docs/performance.md, "What
 * gets these figures").
 */
export const BOT_ARGS = ['--max-semi-space-size=4', '--heap-growing-percent=40', 'dist/main.js'];

/**
 * And the environment `npm start` sets for it: one malloc arena. glibc gives
 * each thread that allocates an arena of its own, and the bot has a second
 * JavaScript thread (the Feishu API's); with one arena the process holds
 * about 9 MB less at 3,000 commands pending, for a lock the threads rarely
 * contend for.
 */
export const BOT_ENV = { MALLOC_ARENA_MAX: '1' };

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** This environment without Feishu settings or jest's NODE_OPTIONS, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('FEISHU_') && k !== 'NODE_OPTIONS'),
  );
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

/** The environment of a bot in live mode, pointed at a fake Open API, with these credentials. */
export function liveBotEnv(
  credentials: { appId: string; appSecret: string; token: string; encryptKey: string },
  openApiBaseUrl: string,
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  return childEnv({
    FEISHU_APP_ID: credentials.appId,
    FEISHU_APP_SECRET: credentials.appSecret,
    FEISHU_VERIFICATION_TOKEN: credentials.token,
    FEISHU_ENCRYPT_KEY: credentials.encryptKey,
    FEISHU_DOMAIN: openApiBaseUrl,
    ...extra,
  });
}

export interface RunningBot {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
  output: () => string;
}

/**
 * Starts the bot as `npm start` does, on a free port, and waits until /readyz says it is ready.
 * `nodeArgs`: more for node, before the script (the benchmark's --cpu-prof).
 */
export async function startBotProcess(
  env: (port: number) => NodeJS.ProcessEnv,
  nodeArgs: readonly string[] = [],
): Promise<RunningBot> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, ...BOT_ARGS], { env: { ...env(port), ...BOT_ENV } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (
    !(await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`bot did not become ready:\n${out}`);
    await new Promise((r) => setTimeout(r, 10)); // often: the benchmark times start-up with this
  }
  return { child, url, exited, output: () => out };
}
