/** Feishu's rate limits the bot keeps, and the share of them bulk work may use. Pure. */
import type { WindowLimit } from './slidingWindow.js';

/** Feishu's per-app limits for read_user, get_progress, sending messages and look-ups (each its own). */
export const APP_LIMITS: readonly WindowLimit[] = [
  { windowMs: 1_000, max: 50 },
  { windowMs: 60_000, max: 1_000 },
];
/** Feishu's limit on bot messages into one user's or one group's chat. */
export const CHAT_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 5 }];
/** Feishu's limit on updates to one message. */
export const MESSAGE_UPDATE_LIMITS: readonly WindowLimit[] = [{ windowMs: 1_000, max: 5 }];

/** What bulk work and watches may use of the app's limits: the rest of the minute is kept for people. */
export const BULK_SHARE = 0.9;

/** How bulk work and watches may use a budget. */
export interface BulkRule {
  /** A share of the budget's limits, over the same windows. */
  limits: readonly WindowLimit[];
  /** The least time between two bulk calls' starts. */
  spacingMs: number;
}

/**
 * Bulk work's rule under `limits`: the widest window cut to `share` (the
 * narrower ones, 50 a second, stay whole), and starts spaced at the narrowest
 * window's pace (20 ms for 50 a second), which costs a backlog no throughput.
 */
export function bulkRuleOf(limits: readonly WindowLimit[], share = BULK_SHARE): BulkRule {
  const widest = Math.max(...limits.map((l) => l.windowMs));
  const narrowest = limits.reduce((a, b) => (b.windowMs < a.windowMs ? b : a));
  return {
    limits: limits.map((l) => (l.windowMs === widest ? { ...l, max: Math.max(1, Math.floor(l.max * share)) } : l)),
    spacingMs: narrowest.windowMs / narrowest.max,
  };
}
