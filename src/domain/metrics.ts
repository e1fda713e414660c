/**
 * What the bot counts for operators, as every part reports it. The
 * Prometheus registry behind it is src/app/metrics.ts.
 */
import type { Endpoint, WorkClass } from './types.js';

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
