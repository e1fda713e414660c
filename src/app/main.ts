/**
 * Start-up: config → shared state (SQLite, or Redis) → wiring → listen; resumes journaled commands;
 * drains on SIGTERM/SIGINT. With no Feishu credentials at all the bot runs in
 * demo mode against an embedded fake Open API.
 */
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from 'pino';
import { createBot, type Bot } from './bot.js';
import { loadConfig, type Config, type FeishuCredentials } from './config.js';
import { DEMO, DEMO_BATCHES, DEMO_COMMANDS } from '../dev/demo/demoData.js';
import { FakeOpenApi } from '../dev/demo/fakeOpenApi.js';
import type { DecodeOptions } from '../inbound/http/decodeRequest.js';
import { createFrontDoor, createOpsApp } from '../inbound/http/server.js';
import type { FeishuApi } from '../feishu/api/openApi.js';
import { apiThread, ThreadedApi } from '../feishu/api/threadedApi.js';
import { createForwarder, type Forward } from '../inbound/forwarder.js';
import { createHttpServer } from '../inbound/http/listen.js';
import { createLogger } from './log.js';
import { mountPlayground } from '../dev/playground/routes.js';
import type { Metrics } from '../domain/metrics.js';
import { createMetrics } from './metrics.js';
import type { WsReceiver } from '../inbound/websocket/wsReceiver.js';
import { embeddedState } from '../state/sqlite/sqliteState.js';
import type { SharedState } from '../state/sharedState.js';
import { SEEN_TTL_MS, Store } from '../state/sqlite/store.js';
import { systemClock } from '../domain/clock.js';
import { BotError } from '../domain/errors.js';

function box(lines: string[]): string {
  const width = Math.max(...lines.map((l) => l.length));
  return [
    `  ╔${'═'.repeat(width + 4)}╗`,
    ...lines.map((l) => `  ║  ${l.padEnd(width)}  ║`),
    `  ╚${'═'.repeat(width + 4)}╝`,
  ].join('\n');
}

function demoBanner(port: number, playground: boolean): string {
  const width = Math.max(...Object.keys(DEMO_BATCHES).map((id) => id.length));
  const ids = Object.entries(DEMO_BATCHES).map(([id, b]) => `    ${id.padEnd(width)}  ${b.note}`);
  return [
    '',
    box([
      'DEMO MODE: no Feishu credentials are set.',
      'The bot is talking to an embedded FAKE Feishu Open API; nothing reaches Feishu.',
      'To run for real, set FEISHU_APP_ID, FEISHU_APP_SECRET and',
      'FEISHU_VERIFICATION_TOKEN (and FEISHU_ENCRYPT_KEY); see docs/setup.md.',
    ]),
    '',
    `  Webhook: http://127.0.0.1:${port}/webhook/event    Health: http://127.0.0.1:${port}/healthz`,
    ...(playground ? [`  Playground (chat with the bot, see its cards): http://localhost:${port}/`] : []),
    '  Demo batch message ids to try:',
    ...ids,
    '',
    `  In another terminal:  npm run chat -- "/reads bm_demo_partly_read"`,
    `                        npm run chat -- --group "/reads bm_demo_all_read"`,
    `                        npm run chat -- --menu reads      (the bot's menu: the query form)`,
    `                        npm run chat -- "/send od-demo ou_demo\\nHello"   (a batch message's preview)`,
    '',
  ].join('\n');
}

/**
 * Redis when REDIS_URL is set (several replicas), else the embedded SQLite
 * store (one replica). The Redis code is imported only when used: loading the
 * client library would slow every start-up (docs/performance.md).
 */
async function openSharedState(config: Config, logger: Logger): Promise<SharedState> {
  if (config.redisUrl) {
    const { redisState } = await import('../state/redis/redisState.js');
    return redisState({
      url: config.redisUrl,
      clock: systemClock,
      logger,
      seenTtlMs: SEEN_TTL_MS,
      freshMs: config.freshMs,
      callTimeoutMs: config.httpTimeoutMs,
    });
  }
  return embeddedState(
    Store.open({ path: config.dbPath, now: () => systemClock.now(), seenTtlMs: SEEN_TTL_MS }),
    systemClock,
  );
}

function fail(message: string): never {
  process.stderr.write(`\nfeishu-reads-bot cannot start.\n${message}\n\n`);
  process.exit(1);
}

/** Where Feishu is: the real one with the configured credentials, or (demo mode) an embedded fake. */
interface FeishuTarget {
  credentials: FeishuCredentials;
  baseUrl: string;
  fake?: FakeOpenApi;
}

async function feishuTarget(config: Config): Promise<FeishuTarget> {
  if (config.mode === 'demo') {
    const { appId, appSecret, verificationToken, encryptKey, botOpenId } = DEMO;
    const fake = new FakeOpenApi({ appId, appSecret, botOpenId, batches: DEMO_BATCHES });
    return { credentials: { appId, appSecret, verificationToken, encryptKey }, baseUrl: await fake.listen(), fake };
  }
  const credentials = config.credentials!;
  // Over the long connection nothing is signed anyway; only events posted on to FEISHU_FORWARD_URL would be.
  const signs = config.eventMode === 'webhook' || config.forwardUrl !== undefined;
  if (!credentials.encryptKey && signs) {
    const warning = box([
      'WARNING: FEISHU_ENCRYPT_KEY is not set.',
      'Feishu will neither sign nor encrypt events: the verification token is the only',
      'proof that a request comes from Feishu. Set an Encrypt Key in the developer console',
      '(Events & Callbacks → Encryption Strategy) and in FEISHU_ENCRYPT_KEY.',
    ]);
    process.stderr.write(`\n${warning}\n\n`);
  }
  return { credentials, baseUrl: config.baseUrl };
}

/** Configuration, logger and shared state; a bad setting ends the process with what to fix. */
async function setUp(): Promise<{ config: Config; logger: Logger; shared: SharedState }> {
  try {
    const config = loadConfig(process.env);
    const logger = createLogger(config.logLevel);
    return { config, logger, shared: await openSharedState(config, logger) };
  } catch (e) {
    if (e instanceof BotError) fail(e.message);
    throw e;
  }
}

interface Running {
  config: Config;
  logger: Logger;
  target: FeishuTarget;
  api: FeishuApi;
  metrics: Metrics;
  decode: DecodeOptions;
  forward?: Forward;
}

function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise<Server>((resolve, reject) => {
    const s = createHttpServer(app).listen(port, host, () => resolve(s));
    s.once('error', reject);
  }).catch((e: unknown) => fail(`Cannot listen on ${host}:${port}: ${e instanceof Error ? e.message : String(e)}`));
}

/**
 * The HTTP servers: the public one (the webhook, unless events come over the
 * long connection; health; the playground in demo mode) and, with OPS_PORT,
 * one of its own for readiness and metrics.
 */
async function listenHttp(bot: Bot, r: Running): Promise<Server[]> {
  const { config, target, api, decode, logger, metrics, forward } = r;
  const ops = { readiness: () => bot.readiness(), metrics: () => metrics.scrape(), logger };
  const frontDoor = createFrontDoor({
    ...bot.events,
    ...ops,
    decode,
    forward,
    now: () => systemClock.now(),
    webhooks: config.eventMode === 'webhook',
    ops: config.ops === undefined,
    extend: (app) => {
      const { fake } = target;
      if (fake) {
        const demo = { openApiBaseUrl: fake.baseUrl, batchIds: Object.keys(DEMO_BATCHES), timeZone: config.timeZone };
        app.get('/demo', (_req, res) => void res.json(demo));
      }
      if (config.playground) {
        const examples = fake ? DEMO_COMMANDS : [];
        mountPlayground(app, { decode, openApiBaseUrl: target.baseUrl, botOpenId: () => api.botOpenId(), examples });
      }
    },
  });
  const servers = [await listen(frontDoor, config.port, config.host)];
  if (config.ops) servers.push(await listen(createOpsApp(ops), config.ops.port, config.ops.host));
  return servers;
}

/** On SIGTERM/SIGINT: drain, then close the receivers and exit 0. */
function stopOnSignals(bot: Bot, servers: Server[], ws: WsReceiver | undefined, r: Running): void {
  const { config, logger, target } = r;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadline = config.shutdownDeadlineMs;
    logger.info({ signal, deadline_ms: deadline }, 'shutting down: new events get 503 so Feishu redelivers them');
    const { finished } = await bot.shutdown(deadline);
    logger.info(
      { finished },
      finished ? 'all running work finished' : 'deadline reached; unfinished work stays journaled',
    );
    // Closed only now, like the webhook's connections: button presses still running are answered on it.
    ws?.close();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    await target.fake?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

async function main(): Promise<void> {
  // First of all, so that it loads the SDK while this thread starts; it is told what to connect to later.
  // Not while the bundle itself is evaluated: loading both at once held more RSS afterwards (docs/performance.md).
  const feishuThreads = apiThread(new URL('./feishuThread.js', import.meta.url));
  const { config, logger, shared } = await setUp();
  const target = await feishuTarget(config);
  const { credentials, baseUrl } = target;
  const decode = { verificationToken: credentials.verificationToken, encryptKey: credentials.encryptKey };
  const { httpTimeoutMs: timeoutMs } = config;
  // The SDK runs on a thread of its own, off the event loop that acknowledges events.
  const options = { appId: credentials.appId, appSecret: credentials.appSecret, baseUrl, timeoutMs };
  const api = new ThreadedApi(feishuThreads, { options, logLevel: config.logLevel });
  const metrics = createMetrics({ processMetrics: true });
  const forward = config.forwardUrl
    ? createForwarder({ url: config.forwardUrl, clock: systemClock, logger, metrics })
    : undefined;
  const running: Running = { config, logger, target, api, metrics, decode, forward };

  // The two receivers of the bot's events: the webhook, or in websocket mode the long connection.
  // Loaded only in that mode: it brings the SDK, which the webhook's event loop otherwise never loads.
  const receiver = config.eventMode === 'websocket' ? await import('../inbound/websocket/wsReceiver.js') : undefined;
  const ws = receiver
    ? new receiver.WsReceiver({
        open: receiver.sdkConnection({ ...credentials, baseUrl, timeoutMs, logger }),
        encryptKey: credentials.encryptKey,
        clock: systemClock,
        logger,
        forward: forward && { forward, ...decode, now: () => systemClock.now() },
      })
    : undefined;
  if (ws) metrics.readFrom({ websocketConnected: () => ws.connected() });
  const bot = createBot({
    timeZone: config.timeZone,
    api,
    shared,
    clock: systemClock,
    logger,
    limits: config.limits,
    access: config.access,
    // In the demo its one person may send, unless SENDERS says who.
    senders: config.mode === 'demo' && config.senders.size === 0 ? new Set([DEMO.userOpenId]) : config.senders,
    freshMs: config.freshMs,
    metrics,
    checks: ws && (() => ({ websocket: ws.connected() })),
    selfCheck: config.mode === 'live' ? { appId: credentials.appId, consoleBase: baseUrl } : undefined,
  });
  const servers = await listenHttp(bot, running);

  const port = (servers[0]!.address() as { port: number }).port;
  const store = config.redisUrl ? 'redis' : config.dbPath;
  const { mode, eventMode: events, playground } = config;
  logger.info({ port, ops: config.ops, mode, events, feishu: baseUrl, store, playground }, 'listening');
  if (mode === 'demo') process.stdout.write(demoBanner(port, playground) + '\n');
  // Connect once the bot knows who it is: events that came earlier would only be refused.
  void bot.start().then(() => ws?.start(bot.events));
  stopOnSignals(bot, servers, ws, running);
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));
