/**
 * What an operator watches, in Prometheus text format. One registry per
 * instance (not prom-client's global one), so every bot — and every test —
 * counts only its own. Gauges read the state that already holds the number
 * at scrape time, so nothing is counted twice.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { GaugeSources, Metrics } from '../domain/metrics.js';

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

/** The counters, by the name the code knows them by. */
const COUNTERS = {
  apiCalls: {
    name: 'api_calls_total',
    help: 'Feishu Open API calls by endpoint and result code (0 = success)',
    labelNames: ['endpoint', 'code'],
  },
  retries: {
    name: 'api_retries_total',
    help: 'Feishu calls retried (rate limit, 5xx, timeout, network, invalid token)',
    labelNames: ['endpoint'],
  },
  dedupe: { name: 'dedupe_hits_total', help: 'Redelivered events and card callbacks recognised and ignored' },
  cards: {
    name: 'cards_sent_total',
    help: 'Cards sent: replies, updates in place, callback answers',
    labelNames: ['kind'],
  },
  forwards: {
    name: 'forwarded_total',
    help: 'Events and card callbacks passed on to FEISHU_FORWARD_URL, by kind and the upstream status (or timeout, error)',
    labelNames: ['kind', 'result'],
  },
  dropped: { name: 'commands_dropped_total', help: 'Commands dropped unanswered after waiting an hour for Feishu' },
} satisfies Record<string, { name: string; help: string; labelNames?: string[] }>;

/** The histograms, with their buckets in seconds. */
const HISTOGRAMS = {
  apiSeconds: {
    name: 'api_call_duration_seconds',
    help: 'Feishu Open API call latency, each attempt on its own',
    labelNames: ['endpoint'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  wait: {
    name: 'queue_wait_seconds',
    help: 'Seconds from accepting a command to sending its answer (queue, scheduling and Feishu calls), by class',
    labelNames: ['class'],
    buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60, 120, 300],
  },
  callWait: {
    name: 'call_wait_seconds',
    help: 'Seconds a Feishu call waited for its turn and a slot under the limits, by class and endpoint',
    labelNames: ['class', 'endpoint'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120],
  },
  forwardSeconds: {
    name: 'forward_duration_seconds',
    help: 'Seconds FEISHU_FORWARD_URL took to answer (2.5 s at most)',
    labelNames: ['kind'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
} satisfies Record<string, { name: string; help: string; labelNames: string[]; buckets: number[] }>;

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: PREFIX });
  const c = Object.fromEntries(
    Object.entries(COUNTERS).map(([key, def]) => [key, new Counter({ ...def, name: PREFIX + def.name, registers })]),
  ) as Record<keyof typeof COUNTERS, Counter>;
  const h = Object.fromEntries(
    Object.entries(HISTOGRAMS).map(([key, def]) => [
      key,
      new Histogram({ ...def, name: PREFIX + def.name, registers }),
    ]),
  ) as Record<keyof typeof HISTOGRAMS, Histogram>;

  return {
    apiCall(endpoint, code, seconds) {
      c.apiCalls.inc({ endpoint, code });
      h.apiSeconds.observe({ endpoint }, seconds);
    },
    retry: (endpoint) => c.retries.inc({ endpoint }),
    dedupeHit: () => c.dedupe.inc(),
    cardSent: (kind) => c.cards.inc({ kind }),
    answered: (seconds, cls) => h.wait.observe({ class: cls }, seconds),
    queueWait: (cls, endpoint, seconds) => h.callWait.observe({ class: cls, endpoint }, seconds),
    forwarded(kind, result, seconds) {
      c.forwards.inc({ kind, result });
      h.forwardSeconds.observe({ kind }, seconds);
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
    droppedWaiting: () => c.dropped.inc(),
    async scrape() {
      return { contentType: registry.contentType, text: await registry.metrics() };
    },
  };
}
