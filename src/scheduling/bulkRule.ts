/** How bulk work and watches may use a budget, so that people's calls keep a reserve. Pure. */
import { BULK_SHARE, type WindowLimit } from '../domain/limits.js';

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
