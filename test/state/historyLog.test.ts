/** The history's rules, the same in both homes: SQLite (one replica) and Redis (several). */
import { HISTORY_KEEP_MS, HISTORY_STEP_MS, SERIES_LATEST } from '../../src/domain/rules.js';
import { RedisHistory } from '../../src/state/redis/redisHistory.js';
import type { HistoryLog } from '../../src/state/sharedState.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock } from '../support/fakeClock.js';
import { redisForFile } from '../support/redisServer.js';

const redis = redisForFile();

let batch = 0;
const homes: Array<[string, () => Promise<HistoryLog>]> = [
  [
    'SQLite',
    async () =>
      embeddedState(Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS }), new FakeClock()).history,
  ],
  [
    'Redis',
    async () => {
      return new RedisHistory(await redis.connect());
    },
  ],
];

describe.each(homes)('history in %s', (_home, open) => {
  const S = 1000;
  const T0 = 1_800_000_000_000;
  const snap = (batchId: string, at: number, read: number) => ({
    batchId,
    readCount: read,
    totalCount: 100,
    takenAt: T0 + at,
  });
  const times = async (history: HistoryLog, batchId: string, now: number) =>
    (await history.series(batchId, T0 + now)).map((s) => (s.takenAt - T0) / S);

  it('keeps snapshots at least a minute apart, and the latest', async () => {
    const history = await open();
    const id = `bm_step_${++batch}`;
    for (const [i, at] of [0, 10, 20, 70, 75, 200].entries()) await history.record(snap(id, at * S, i), 'ou_a');
    expect(HISTORY_STEP_MS).toBe(60 * S);
    expect(await times(history, id, 200 * S)).toEqual([0, 70, 200]);
    expect((await history.series(id, T0 + 200 * S)).map((s) => s.readCount)).toEqual([0, 3, 5]);
  });

  it('reads back the first snapshot and the latest ones only, however many were kept', async () => {
    const history = await open();
    const id = `bm_many_${++batch}`;
    const count = SERIES_LATEST + 100;
    for (let i = 0; i < count; i++) await history.record(snap(id, i * 61 * S, i));
    const series = await history.series(id, T0 + count * 61 * S);
    expect(series).toHaveLength(SERIES_LATEST + 1);
    expect(series.map((s) => s.readCount).slice(0, 3)).toEqual([0, 100, 101]);
    expect(series.at(-1)!.readCount).toBe(count - 1);
  });

  it('keeps 30 days, and each batch message apart', async () => {
    const history = await open();
    const id = `bm_old_${++batch}`;
    await history.record(snap(id, 0, 1));
    await history.record(snap(id, 10 * 24 * 3600 * S, 2));
    await history.record(snap(`${id}_other`, 10 * 24 * 3600 * S, 9));
    expect((await history.series(id, T0 + HISTORY_KEEP_MS + S)).map((s) => s.readCount)).toEqual([2]);
  });
});
