/**
 * The real bot on 127.0.0.1, pointed (through the SDK) at the fake Open API
 * on 127.0.0.1, with requests signed and encrypted like Feishu's.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBot, type Bot } from '../../src/app/bot.js';
import { FakeOpenApi, type FakeOpenApiOptions, type ReplyRecord } from '../../src/dev/demo/fakeOpenApi.js';
import {
  cardActionEvent,
  feishuRequest,
  messageEvent,
  newMessageId,
  type CardActionOptions,
  type MessageEventOptions,
} from '../../src/dev/demo/feishuEvents.js';
import { createOpenApi } from '../../src/feishu/api/openApi.js';
import { createHttpServer } from '../../src/inbound/http/listen.js';
import { createFrontDoor } from '../../src/inbound/http/server.js';
import { createLogger } from '../../src/app/log.js';
import { createMetrics } from '../../src/app/metrics.js';
import type { Metrics } from '../../src/domain/metrics.js';
import type { Forward } from '../../src/inbound/forwarder.js';
import type { AccessPolicy } from '../../src/dispatch/access.js';
import type { QueueLimits } from '../../src/domain/limits.js';
import type { BreakerPolicy } from '../../src/feishu/breaker.js';
import type { RetryPolicy } from '../../src/feishu/retry.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { systemClock, type Clock } from '../../src/domain/clock.js';

export const APP = { appId: 'cli_test123', appSecret: 'test-secret', botOpenId: 'ou_test_bot' };
export const TOKEN = 'test-verification-token';
export const KEY = 'test-encrypt-key';

export interface Harness {
  bot: Bot;
  fake: FakeOpenApi;
  url: string;
  /** Sends a message event the way Feishu does; returns the bot's HTTP answer and the message id. */
  send(
    text: string,
    options?: Partial<MessageEventOptions> & { encryptKey?: string | null },
  ): Promise<{ status: number; messageId: string }>;
  post(body: string, headers: Record<string, string>): Promise<Response>;
  /** Once the bot is idle: the one reply to `messageId` (fails the test unless there is exactly one). */
  onlyReply(messageId: string): Promise<ReplyRecord>;
  /** Presses a card button the way Feishu calls back; returns the bot's HTTP status and answer. */
  press(o: Omit<CardActionOptions, 'token'>): Promise<{ status: number; answer: Record<string, unknown> }>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  encryptKey?: string | null;
  fake?: Partial<FakeOpenApiOptions>;
  timeoutMs?: number;
  limits?: QueueLimits;
  access?: AccessPolicy;
  /** SENDERS: who may send batch messages. */
  senders?: ReadonlySet<string>;
  retry?: RetryPolicy;
  breaker?: BreakerPolicy;
  logger?: import('pino').Logger;
  clock?: Clock;
  callbackBudgetMs?: number;
  /** The freshness window; 0 (no reuse of recent snapshots) unless a test is about it. */
  freshMs?: number;
  /** Reuse a fake Open API (it is then left running on close), e.g. across a restart. */
  existingFake?: FakeOpenApi;
  runningCommands?: number;
  /** A store file instead of memory, e.g. to reopen it after a restart. */
  dbPath?: string;
  /** Extra routes, as main.ts mounts them (the playground). */
  extendHttp?: (app: import('express').Express) => void;
  /** More /readyz checks (the long connection's). */
  checks?: () => Record<string, boolean>;
  /** Run the start-up self-check of live mode. */
  selfCheck?: boolean;
  /** FEISHU_FORWARD_URL's forwarder, built around the harness's metrics. */
  forward?: (metrics: Metrics) => Forward;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const encryptKey = options.encryptKey === null ? undefined : (options.encryptKey ?? KEY);
  const fake = options.existingFake ?? new FakeOpenApi({ ...APP, ...options.fake });
  const baseUrl = options.existingFake ? fake.baseUrl : await fake.listen();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const api = createOpenApi({ ...APP, baseUrl, timeoutMs: options.timeoutMs ?? 5000, logger });
  const store = Store.open({ path: options.dbPath ?? ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS });
  const metrics = createMetrics();
  const bot = createBot({
    timeZone: 'Asia/Shanghai',
    api,
    shared: embeddedState(store, clock),
    clock,
    logger,
    callbackBudgetMs: options.callbackBudgetMs,
    freshMs: options.freshMs ?? 0,
    limits: options.limits,
    access: options.access,
    senders: options.senders,
    retry: options.retry,
    breaker: options.breaker,
    runningCommands: options.runningCommands,
    metrics,
    checks: options.checks,
    selfCheck: options.selfCheck ? { appId: APP.appId, consoleBase: 'https://open.feishu.cn' } : undefined,
  });
  // As main.ts serves it.
  const frontDoor = createFrontDoor({
    ...bot.events,
    decode: { verificationToken: TOKEN, encryptKey },
    readiness: () => bot.readiness(),
    metrics: () => metrics.scrape(),
    now: () => clock.now(),
    logger,
    extend: options.extendHttp,
    forward: options.forward?.(metrics),
  });
  const server: Server = await new Promise((resolve) => {
    const s = createHttpServer(frontDoor).listen(0, '127.0.0.1', () => resolve(s));
  });
  await bot.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${url}/webhook/event`, { method: 'POST', headers, body });

  return {
    bot,
    fake,
    url,
    post,
    async send(text, o = {}) {
      const messageId = o.messageId ?? newMessageId();
      const chatId = o.chatId ?? `oc_${messageId.slice(3, 11)}`;
      fake.registerMessage(messageId, chatId);
      // A new person per message unless told otherwise, so per-person rate limits stay out of the way.
      const senderOpenId = o.senderOpenId ?? `ou_${messageId.slice(3, 19)}`;
      const event = messageEvent({ token: TOKEN, text, ...o, messageId, chatId, senderOpenId });
      const key = o.encryptKey === null ? undefined : (o.encryptKey ?? encryptKey);
      const req = feishuRequest(event, key);
      const res = await post(req.body, req.headers);
      await res.arrayBuffer();
      return { status: res.status, messageId };
    },
    async onlyReply(messageId) {
      await bot.idle();
      const replies = fake.repliesTo(messageId);
      expect(replies).toHaveLength(1);
      return replies[0]!;
    },
    async press(o) {
      const req = feishuRequest(cardActionEvent({ token: TOKEN, ...o }), encryptKey);
      const res = await fetch(`${url}/webhook/card`, { method: 'POST', headers: req.headers, body: req.body });
      return { status: res.status, answer: (await res.json()) as Record<string, unknown> };
    },
    async close() {
      await bot.shutdown(10_000);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.existingFake) await fake.close();
    },
  };
}
