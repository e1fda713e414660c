/**
 * Start-up: config → wiring → listen. With no Feishu credentials at all the
 * bot runs in demo mode against an embedded fake Open API.
 */
import type { Server } from 'node:http';
import { createBot } from './bot.js';
import { systemClock } from './clock.js';
import { loadConfig, type Config, type FeishuCredentials } from './config.js';
import { DEMO, DEMO_BATCHES } from './demo/demoData.js';
import { FakeOpenApi } from './demo/fakeOpenApi.js';
import { BotError } from './errors.js';
import { createOpenApi } from './feishu/openApi.js';
import { createLogger } from './log.js';

function demoBanner(port: number): string {
  const ids = Object.entries(DEMO_BATCHES).map(([id, b]) => `    ${id.padEnd(24)} ${b.note}`);
  return [
    '',
    '  ╔══════════════════════════════════════════════════════════════════╗',
    '  ║  DEMO MODE — no Feishu credentials set.                          ║',
    '  ║  The bot is talking to an embedded FAKE Feishu Open API.         ║',
    '  ║  Nothing here reaches Feishu. To run for real, set FEISHU_APP_ID, ║',
    '  ║  FEISHU_APP_SECRET and FEISHU_VERIFICATION_TOKEN (see README).   ║',
    '  ╚══════════════════════════════════════════════════════════════════╝',
    '',
    `  Webhook: http://127.0.0.1:${port}/webhook/event    Health: http://127.0.0.1:${port}/healthz`,
    '  Demo batch message ids to try:',
    ...ids,
    '',
    `  In another terminal:  npm run chat -- "/reads bm_demo_partly_read"`,
    `                        npm run chat -- --group "/reads bm_demo_all_read"`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof BotError) {
      process.stderr.write(`\nfeishu-reads-bot cannot start.\n${e.message}\n\n`);
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);

  let credentials: FeishuCredentials;
  let baseUrl = config.baseUrl;
  let fake: FakeOpenApi | undefined;
  if (config.mode === 'demo') {
    credentials = { appId: DEMO.appId, appSecret: DEMO.appSecret, verificationToken: DEMO.verificationToken, encryptKey: DEMO.encryptKey };
    fake = new FakeOpenApi({ appId: DEMO.appId, appSecret: DEMO.appSecret, botOpenId: DEMO.botOpenId, batches: DEMO_BATCHES });
    baseUrl = await fake.listen();
  } else {
    credentials = config.credentials!;
    if (!credentials.encryptKey) {
      logger.warn(
        'FEISHU_ENCRYPT_KEY is not set: Feishu will neither sign nor encrypt events, and the verification token is the ' +
          'only check that a request comes from Feishu. Set an Encrypt Key in the developer console (Events & Callbacks → ' +
          'Encryption Strategy) and in FEISHU_ENCRYPT_KEY.',
      );
    }
  }

  const api = createOpenApi({ appId: credentials.appId, appSecret: credentials.appSecret, baseUrl, timeoutMs: config.httpTimeoutMs, logger });
  const bot = createBot({
    decode: { verificationToken: credentials.verificationToken, encryptKey: credentials.encryptKey },
    timeZone: config.timeZone,
    api,
    clock: systemClock,
    logger,
    extendHttp: fake
      ? (app) => app.get('/demo', (_req, res) => void res.json({ openApiBaseUrl: fake.baseUrl, batchIds: Object.keys(DEMO_BATCHES) }))
      : undefined,
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = bot.app.listen(config.port, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as { port: number }).port;
  logger.info({ port, mode: config.mode, feishu: baseUrl }, 'listening');
  if (config.mode === 'demo') process.stdout.write(demoBanner(port) + '\n');
  void bot.start();

  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    bot.stop();
    server.close();
    void bot
      .idle()
      .then(() => fake?.close())
      .finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 20_000).unref();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  process.stderr.write(`feishu-reads-bot failed to start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
