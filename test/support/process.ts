/** Helpers for tests that run the program in a child process, as `npm start` does. */
import { createServer } from 'node:net';

/** How the TypeScript entry points other than the bot (`npm run chat`, the benchmark's helpers) run. */
export const NODE_ARGS = ['--import', 'tsx'];

/**
 * How `npm start` runs the bot once its prestart step has bundled it (jest's
 * global set-up and the benchmark build it first): no wrapper process between.
 * `--optimize-for-size` makes V8 collect garbage before growing the heap: with
 * 10,000 commands waiting that is about 130 MB RSS instead of 260 MB.
 */
export const BOT_ARGS = ['--optimize-for-size', 'dist/main.js'];

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
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FEISHU_') && k !== 'NODE_OPTIONS'));
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
