import Database from 'better-sqlite3';
import { HISTORY_KEEP_MS, HISTORY_STEP_MS } from '../../../src/domain/rules.js';
import { ProgressHistory } from '../../../src/state/sqlite/progressHistory.js';

const funnel = (readCount: number, takenAt: number) => ({
  batchId: 'bm_a',
  validCount: 10,
  deliveredCount: 9,
  readCount,
  recallCount: 0,
  recalled: false,
  takenAt,
});

describe('ProgressHistory', () => {
  it('keeps funnels a step apart, and the latest: a newer one replaces a latest that came within the step of the one before', () => {
    const history = new ProgressHistory(new Database(':memory:'));
    history.record(funnel(1, 0));
    history.record(funnel(2, 1_000));
    history.record(funnel(3, 2_000));
    history.record(funnel(4, HISTORY_STEP_MS + 5_000));
    expect(history.series('bm_a', HISTORY_STEP_MS + 5_000).map((p) => p.readCount)).toEqual([1, 4]);
  });

  it('shows only the last 30 days, and prune removes what is older', () => {
    const db = new Database(':memory:');
    const history = new ProgressHistory(db);
    history.record(funnel(1, 0));
    history.record(funnel(2, HISTORY_STEP_MS * 2));
    const later = HISTORY_KEEP_MS + HISTORY_STEP_MS;
    expect(history.series('bm_a', later).map((p) => p.readCount)).toEqual([2]);
    history.prune(later);
    expect(db.prepare('SELECT COUNT(*) AS n FROM progress').get()).toEqual({ n: 1 });
  });
});
