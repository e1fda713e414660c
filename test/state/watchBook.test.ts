/** Watch caps decided and taken in one step, the same in both homes: SQLite (one replica) and Redis (several). */
import { WATCH_CAPS } from '../../src/domain/limits.js';
import type { Watch } from '../../src/domain/types.js';
import { RedisWatches } from '../../src/state/redis/redisWatches.js';
import type { WatchBook } from '../../src/state/sharedState.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock } from '../support/fakeClock.js';
import { redisForFile } from '../support/redisServer.js';

const redis = redisForFile();

/** Two views of one home, as two replicas would have (one process for SQLite). */
const homes: Array<[string, () => Promise<[WatchBook, WatchBook]>]> = [
  [
    'SQLite',
    async () => {
      const book = embeddedState(
        Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS }),
        new FakeClock(),
      ).watches;
      return [book, book];
    },
  ],
  [
    'Redis',
    async () => {
      const [a, b] = await Promise.all([redis.connect(), redis.connect()]);
      await a.flushall(); // each test starts with no watches
      return [new RedisWatches(a, 'replica-a'), new RedisWatches(b, 'replica-b')];
    },
  ],
];

const watch = (id: string, o: Partial<Watch> = {}): Watch => ({
  id,
  batchId: `bm_${id}`,
  chatId: 'oc_1',
  cardMessageId: '',
  startedBy: `ou_${id}`,
  startedAt: 0,
  until: 3_600_000,
  intervalMs: 60_000,
  nextAt: 60_000,
  ...o,
});

describe.each(homes)('watch places in %s', (_home, open) => {
  it('refuses a second watch of the same id in a chat, and the caps per chat and per person', async () => {
    const [book] = await open();
    expect(await book.reserve(watch('a'))).toBeUndefined();
    expect(await book.reserve(watch('a2', { batchId: 'bm_a' }))).toBe('already_watched');
    for (let i = 1; i < WATCH_CAPS.perChat; i++) expect(await book.reserve(watch(`c${i}`))).toBeUndefined();
    expect(await book.reserve(watch('c9'))).toBe('too_many_in_chat');
    const mine = (i: number) => watch(`p${i}`, { chatId: `oc_p${i}`, startedBy: 'ou_busy' });
    for (let i = 0; i < WATCH_CAPS.perPerson; i++) expect(await book.reserve(mine(i))).toBeUndefined();
    expect(await book.reserve(mine(99))).toBe('too_many_for_person');
    expect(await book.reserve(watch('other', { chatId: 'oc_2' }))).toBeUndefined();
  });

  it('gives the last place to one of two replicas asking at once', async () => {
    const [a, b] = await open();
    for (let i = 0; i < WATCH_CAPS.perChat - 1; i++) expect(await a.reserve(watch(`w${i}`))).toBeUndefined();
    const answers = await Promise.all([a.reserve(watch('x')), b.reserve(watch('y'))]);
    expect(answers.sort()).toEqual(['too_many_in_chat', undefined]);
    expect((await a.active()).filter((w) => w.chatId === 'oc_1')).toHaveLength(WATCH_CAPS.perChat);
  });

  it('keeps the place of a command answered again (same id), and attaches its card', async () => {
    const [book] = await open();
    expect(await book.reserve(watch('again'))).toBeUndefined();
    expect(await book.reserve(watch('again'))).toBeUndefined();
    expect(await book.active()).toHaveLength(1);
    await book.attach('again', 'om_card');
    expect((await book.get('again'))?.cardMessageId).toBe('om_card');
    expect(await book.end('again', 'failed', 1, 'not_started')).toBe(true);
    expect(await book.reserve(watch('again'))).toBeUndefined(); // ended, then reserved afresh
    expect((await book.get('again'))?.endedReason).toBeUndefined();
  });
});
