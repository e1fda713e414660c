/**
 * Wiring: the HTTP front door → router → command → throttled Feishu calls →
 * card → throttled reply. Everything remote comes in through `deps`, so tests
 * build the real bot around a fake Open API and their own clock.
 */
import { createHash } from 'node:crypto';
import type express from 'express';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { answerCommand } from './commands/answer.js';
import { parseCommand } from './commands/parse.js';
import { Deduplicator, DEDUPE_TTL_MS } from './events/dedupe.js';
import type { IncomingMessage } from './events/messageEvent.js';
import { routeEvent } from './events/router.js';
import type { FeishuApi } from './feishu/openApi.js';
import { toBotError } from './feishu/toBotError.js';
import type { DecodeOptions } from './http/decodeRequest.js';
import { createHttpApp } from './http/server.js';
import { APP_LIMITS, CHAT_LIMITS, KeyedThrottle, Throttle } from './throttle/throttle.js';

export interface BotDeps {
  decode: DecodeOptions;
  timeZone: string;
  api: FeishuApi;
  clock: Clock;
  logger: Logger;
  extendHttp?: (app: express.Express) => void;
}

export interface Bot {
  app: express.Express;
  /** Learns the bot's own open_id (needed to see @mentions), retrying until it can. */
  start(): Promise<void>;
  isReady(): boolean;
  /** Resolves when every accepted message has been answered (or failed). */
  idle(): Promise<void>;
  stop(): void;
}

/** Feishu shows at most one reply per uuid within an hour, so a repeated reply is harmless. */
export function replyUuid(messageId: string): string {
  return `reads-${createHash('sha256').update(messageId).digest('hex').slice(0, 40)}`;
}

const MAX_DEDUPE_ENTRIES = 200_000;

export function createBot(deps: BotDeps): Bot {
  const { api, clock, logger } = deps;
  const readThrottle = new Throttle(APP_LIMITS, clock);
  const replyThrottle = new Throttle(APP_LIMITS, clock);
  const chatThrottle = new KeyedThrottle(CHAT_LIMITS, clock);
  const dedupe = new Deduplicator({ ttlMs: DEDUPE_TTL_MS, maxEntries: MAX_DEDUPE_ENTRIES, now: () => clock.now() });
  const working = new Set<Promise<void>>();
  let botOpenId: string | undefined;
  let stopped = false;

  async function answer(message: IncomingMessage, log: Logger): Promise<void> {
    const command = parseCommand(message.text ?? '');
    const batchIds = command.kind === 'reads' ? command.batchIds : undefined;
    log = batchIds ? log.child({ batch_id: batchIds.join(',') }) : log;
    log.info({ command: command.kind }, 'command accepted');
    const card = await answerCommand(command, {
      readUser: (batchId) => readThrottle.run(() => api.readUser(batchId)),
      now: () => clock.now(),
      timeZone: deps.timeZone,
    });
    try {
      await chatThrottle.run(message.chatId, () =>
        replyThrottle.run(() => api.replyCard(message.messageId, card, replyUuid(message.messageId))),
      );
      log.info('replied');
    } catch (e) {
      const error = toBotError(e);
      log.error({ code: error.code, feishu_code: error.feishuCode, log_id: error.logId, msg: error.message }, 'reply failed');
    }
  }

  function onMessage(message: IncomingMessage, eventId: string): void {
    const log = logger.child({ event_id: eventId, message_id: message.messageId, chat_id: message.chatId });
    const job = answer(message, log).catch((e: unknown) => log.error({ err: e }, 'command failed'));
    working.add(job);
    void job.finally(() => working.delete(job));
  }

  const app = createHttpApp({
    decode: deps.decode,
    isReady: () => botOpenId !== undefined,
    onEvent: (event) => routeEvent(event, { dedupe, botOpenId: () => botOpenId, onMessage, logger }),
    logger,
    extend: deps.extendHttp,
  });

  return {
    app,
    isReady: () => botOpenId !== undefined,
    async start() {
      let delay = 1000;
      while (!stopped && botOpenId === undefined) {
        try {
          botOpenId = await api.botOpenId();
          logger.info({ bot_open_id: botOpenId }, 'bot identity known; ready');
        } catch (e) {
          const error = toBotError(e);
          logger.error(
            { code: error.code, feishu_code: error.feishuCode, msg: error.message, retry_in_ms: delay },
            'cannot fetch the bot’s own info (GET /open-apis/bot/v3/info); is the bot capability enabled and are the credentials right?',
          );
          await clock.sleep(delay);
          delay = Math.min(delay * 2, 30_000);
        }
      }
    },
    async idle() {
      while (working.size > 0) await Promise.allSettled([...working]);
    },
    stop() {
      stopped = true;
    },
  };
}
