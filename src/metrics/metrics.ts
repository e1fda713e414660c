/**
 * What an operator watches, in Prometheus text format. One registry per
 * instance (not prom-client's global one), so every bot — and every test —
 * counts only its own. Gauges read the state that already holds the number
 * at scrape time, so nothing is counted twice.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Endpoint } from '../domain/types.js';
import type { WorkClass } from '../scheduling/lanes.js';

/** How a card reached a chat: a reply, an update in place, or the answer to a button press. */
export type CardKind = 'reply' | 'send' | 'update' | 'callback';

/** What was passed on to FEISHU_FORWARD_URL: an event, or a card callback. */
export type ForwardKind = 'event' | 'callback';

export interface GaugeSources {
  /** Commands accepted and not yet answered. */
  queueDepth: () => number;
  watchesActive: () => Promise<number>;
  websocketConnected: () => boolean;
  /** The circuit breaker in front of Feishu: 0 closed, 1 half-open (probing), 2 open. */
  feishuBreaker: () => number;
  /** Commands waiting in the journal for Feishu to come back. */
  waitingForFeishu: () => number;
}

export interface Scrape {
  contentType: string;
  text: string;
}

export interface Metrics {
  /** One Feishu call; `code` is "0" on success, else Feishu's code or what went wrong. */
  apiCall(endpoint: Endpoint, code: string, seconds: number): void;
  retry(endpoint: Endpoint): void;
  dedupeHit(): void;
  cardSent(kind: CardKind): void;
  /** A command of class `cls` answered `seconds` after it was accepted. */
  answered(seconds: number, cls: WorkClass): void;
  /** A Feishu call of class `cls` waited `seconds` for its turn and a slot under the limits. */
  queueWait(cls: WorkClass, endpoint: Endpoint, seconds: number): void;
  readFrom(sources: Partial<GaugeSources>): void;
  /** An event or callback passed on to FEISHU_FORWARD_URL; `result` is the upstream's status, `timeout` or `error`. */
  forwarded(kind: ForwardKind, result: string, seconds: number): void;
  /** A command dropped unanswered after waiting an hour for Feishu. */
  droppedWaiting(): void;
  scrape(): Promise<Scrape>;
}

export const noMetrics: Metrics = {
  apiCall: () => undefined,
  retry: () => undefined,
  dedupeHit: () => undefined,
  cardSent: () => undefined,
  answered: () => undefined,
  queueWait: () => undefined,
  readFrom: () => undefined,
  forwarded: () => undefined,
  droppedWaiting: () => undefined,
  scrape: async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', text: '' }),
};

const PREFIX = 'feishu_reads_bot_';

const GAUGES: Record<keyof GaugeSources, { name: string; help: string }> = {
  queueDepth: { name: 'queue_depth', help: 'Commands accepted and not yet answered' },
  watchesActive: { name: 'watches_active', help: 'Watches keeping a card up to date' },
  websocketConnected: {
    name: 'websocket_connected',
    help: '1 while the long connection to Feishu is up (FEISHU_EVENT_MODE=websocket)',
  },
  feishuBreaker: {
    name: 'feishu_breaker_state',
    help: 'The circuit breaker in front of Feishu: 0 closed, 1 half-open (one probe), 2 open (Feishu unavailable)',
  },
  waitingForFeishu: { name: 'commands_waiting_for_feishu', help: 'Commands waiting in the journal for Feishu' },
};

export interface MetricsOptions {
  /** Process CPU, memory, event-loop lag and GC (prom-client's defaults); off in tests. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX });

  const apiCalls = new Counter({
    name: `${PREFIX}api_calls_total`,
    help: 'Feishu Open API calls by endpoint and result code (0 = success)',
    labelNames: ['endpoint', 'code'],
    registers,
  });
  const apiSeconds = new Histogram({
    name: `${PREFIX}api_call_duration_seconds`,
    help: 'Feishu Open API call latency, each attempt on its own',
    labelNames: ['endpoint'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const retries = new Counter({
    name: `${PREFIX}api_retries_total`,
    help: 'Feishu calls retried (rate limit, 5xx, timeout, network, invalid token)',
    labelNames: ['endpoint'],
    registers,
  });
  const dedupe = new Counter({
    name: `${PREFIX}dedupe_hits_total`,
    help: 'Redelivered events and card callbacks recognised and ignored',
    registers,
  });
  const cards = new Counter({
    name: `${PREFIX}cards_sent_total`,
    help: 'Cards sent: replies, updates in place, callback answers',
    labelNames: ['kind'],
    registers,
  });
  const wait = new Histogram({
    name: `${PREFIX}queue_wait_seconds`,
    help: 'Seconds from accepting a command to sending its answer (queue, throttle and Feishu calls), by class',
    labelNames: ['class'],
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120, 300],
    registers,
  });
  const callWait = new Histogram({
    name: `${PREFIX}call_wait_seconds`,
    help: 'Seconds a Feishu call waited for its turn and a slot under the limits, by class and endpoint',
    labelNames: ['class', 'endpoint'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120],
    registers,
  });
  const forwards = new Counter({
    name: `${PREFIX}forwarded_total`,
    help: 'Events and card callbacks passed on to FEISHU_FORWARD_URL, by kind and the upstream status (or timeout, error)',
    labelNames: ['kind', 'result'],
    registers,
  });
  const forwardSeconds = new Histogram({
    name: `${PREFIX}forward_duration_seconds`,
    help: 'Seconds FEISHU_FORWARD_URL took to answer (2.5 s at most)',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers,
  });
  const dropped = new Counter({
    name: `${PREFIX}commands_dropped_total`,
    help: 'Commands dropped unanswered after waiting an hour for Feishu',
    registers,
  });

  return {
    apiCall(endpoint, code, seconds) {
      apiCalls.inc({ endpoint, code });
      apiSeconds.observe({ endpoint }, seconds);
    },
    retry: (endpoint) => retries.inc({ endpoint }),
    dedupeHit: () => dedupe.inc(),
    cardSent: (kind) => cards.inc({ kind }),
    answered: (seconds, cls) => wait.observe({ class: cls }, seconds),
    queueWait: (cls, endpoint, seconds) => callWait.observe({ class: cls, endpoint }, seconds),
    forwarded(kind, result, seconds) {
      forwards.inc({ kind, result });
      forwardSeconds.observe({ kind }, seconds);
    },
    readFrom(sources) {
      for (const key of Object.keys(sources) as Array<keyof GaugeSources>) {
        const read = sources[key];
        if (!read) continue;
        new Gauge({
          name: `${PREFIX}${GAUGES[key].name}`,
          help: GAUGES[key].help,
          registers,
          async collect() {
            this.set(Number(await read()));
          },
        });
      }
    },
    droppedWaiting: () => dropped.inc(),
    async scrape() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
