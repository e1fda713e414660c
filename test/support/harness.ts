/**
 * The real bot on 127.0.0.1, pointed (through the SDK) at the fake Open API
 * on 127.0.0.1, with requests signed and encrypted like Feishu's.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBot, type Bot } from '../../src/bot.js';
import { systemClock } from '../../src/clock.js';
import { FakeOpenApi, type FakeOpenApiOptions } from '../../src/demo/fakeOpenApi.js';
import { feishuRequest, messageEvent, newMessageId, type MessageEventOptions } from '../../src/demo/feishuEvents.js';
import { createOpenApi } from '../../src/feishu/openApi.js';
import { createLogger } from '../../src/log.js';

export const APP = { appId: 'cli_test123', appSecret: 'test-secret', botOpenId: 'ou_test_bot' };
export const TOKEN = 'test-verification-token';
export const KEY = 'test-encrypt-key';

export interface Harness {
  bot: Bot;
  fake: FakeOpenApi;
  url: string;
  /** Sends a message event the way Feishu does; returns the bot's HTTP answer and the message id. */
  send(text: string, options?: Partial<MessageEventOptions> & { encryptKey?: string | null }): Promise<{ status: number; messageId: string }>;
  post(body: string, headers: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  encryptKey?: string | null;
  fake?: Partial<FakeOpenApiOptions>;
  timeoutMs?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const encryptKey = options.encryptKey === null ? undefined : (options.encryptKey ?? KEY);
  const fake = new FakeOpenApi({ ...APP, ...options.fake });
  const baseUrl = await fake.listen();
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const api = createOpenApi({ ...APP, baseUrl, timeoutMs: options.timeoutMs ?? 5000, logger });
  const bot = createBot({ decode: { verificationToken: TOKEN, encryptKey }, timeZone: 'Asia/Shanghai', api, clock: systemClock, logger });
  const server: Server = await new Promise((resolve) => {
    const s = bot.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  await bot.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const post = (body: string, headers: Record<string, string>) => fetch(`${url}/webhook/event`, { method: 'POST', headers, body });

  return {
    bot,
    fake,
    url,
    post,
    async send(text, o = {}) {
      const messageId = o.messageId ?? newMessageId();
      const chatId = o.chatId ?? `oc_${messageId.slice(3, 11)}`;
      fake.registerMessage(messageId, chatId);
      const event = messageEvent({ token: TOKEN, text, ...o, messageId, chatId });
      const key = o.encryptKey === null ? undefined : (o.encryptKey ?? encryptKey);
      const req = feishuRequest(event, key);
      const res = await post(req.body, req.headers);
      await res.arrayBuffer();
      return { status: res.status, messageId };
    },
    async close() {
      bot.stop();
      await bot.idle();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.close();
    },
  };
}
