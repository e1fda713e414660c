/** The sends' rules, the same in both homes: SQLite (one replica) and Redis (several). */
import { noRecipients, type Send } from '../../src/domain/send.js';
import { RedisSends } from '../../src/state/redis/redisSends.js';
import type { SendBook } from '../../src/state/sharedState.js';
import { embeddedState } from '../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../src/state/sqlite/store.js';
import { FakeClock } from '../support/fakeClock.js';
import { redisForFile } from '../support/redisServer.js';

const redis = redisForFile();

/** Two views of one home, as two replicas would have (one process for SQLite). */
const homes: Array<[string, () => Promise<[SendBook, SendBook]>]> = [
  [
    'SQLite',
    async () => {
      const book = embeddedState(
        Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS }),
        new FakeClock(),
      ).sends;
      return [book, book];
    },
  ],
  [
    'Redis',
    async () => {
      const [a, b] = await Promise.all([redis.connect(), redis.connect()]);
      await a.flushall(); // each test starts with no sends
      return [new RedisSends(a), new RedisSends(b)];
    },
  ],
];

const T0 = 1_800_000_000_000;
const send = (id: string, o: Partial<Send> = {}): Send => ({
  id,
  state: 'draft',
  senderOpenId: 'ou_writer',
  chatId: 'oc_1',
  text: `hello from ${id}`,
  recipients: { ...noRecipients(), openIds: ['ou_a', 'ou_b'] },
  unusable: [{ given: '0', why: 'root_department' }],
  createdAt: T0,
  ...o,
});
const ids = (sends: Send[]) => sends.map((s) => s.id);

describe.each(homes)('sends in %s', (_home, open) => {
  it('saves a send once: a second one with its id changes nothing', async () => {
    const [book] = await open();
    expect(await book.create(send('s1'))).toBe(true);
    expect(await book.create(send('s1', { text: 'written again' }))).toBe(false);
    expect(await book.get('s1')).toEqual(send('s1'));
    expect(await book.get('nobody')).toBeUndefined();
  });

  it('moves a send from a state once, and refuses it from any other', async () => {
    const [book] = await open();
    await book.create(send('s1'));
    const queued = await book.advance('s1', ['draft'], { state: 'queued', confirmedAt: T0 + 5 });
    expect(queued).toEqual({ ...send('s1'), state: 'queued', confirmedAt: T0 + 5 });
    expect(await book.advance('s1', ['draft'], { state: 'queued', confirmedAt: T0 + 9 })).toBeUndefined();
    expect(await book.advance('s1', ['draft', 'sent'], { state: 'cancelled' })).toBeUndefined();
    expect(await book.get('s1')).toEqual(queued);
    expect(await book.advance('nobody', ['draft'], { state: 'queued' })).toBeUndefined();

    const sending = await book.advance('s1', ['queued', 'unconfirmed'], {
      state: 'sending',
      attemptedAt: T0 + 7,
      confirmedAt: undefined, // left as it was
    });
    expect(sending).toEqual({ ...queued, state: 'sending', attemptedAt: T0 + 7 });
    const error = { code: 'feishu', feishuCode: 230027, message: 'no permission' };
    expect(await book.advance('s1', ['sending'], { state: 'failed', error })).toMatchObject({ state: 'failed', error });
  });

  it('lets one of two replicas confirm a draft when both press at the same moment', async () => {
    const [a, b] = await open();
    for (let round = 0; round < 50; round++) {
      const id = `race${round}`;
      await a.create(send(id));
      const answers = await Promise.all(
        [a, b].map((book, i) => book.advance(id, ['draft'], { state: 'queued', confirmedAt: T0 + i })),
      );
      const winners = answers.filter((s) => s !== undefined);
      expect(winners).toHaveLength(1);
      expect(await a.get(id)).toEqual(winners[0]);
    }
    expect(await b.inStates(['draft'])).toEqual([]);
    expect(await b.inStates(['queued'])).toHaveLength(50);
  });

  it("lists a person's latest sends, newest first, as many as asked", async () => {
    const [a, b] = await open();
    for (const [i, id] of ['old', 'middle', 'new'].entries()) await a.create(send(id, { createdAt: T0 + i }));
    await a.create(send('someone else', { senderOpenId: 'ou_other', createdAt: T0 + 9 }));
    await a.advance('old', ['draft'], { state: 'queued' });
    expect(ids(await b.bySender('ou_writer', 10))).toEqual(['new', 'middle', 'old']);
    expect(ids(await b.bySender('ou_writer', 2))).toEqual(['new', 'middle']);
    expect((await b.bySender('ou_writer', 10))[2]!.state).toBe('queued');
    expect(await b.bySender('ou_nobody', 10)).toEqual([]);
  });

  it('leaves out the states asked, still giving as many as asked when older ones qualify', async () => {
    const [a, b] = await open();
    const states = ['queued', 'draft', 'sent', 'cancelled', 'draft', 'draft', 'failed'] as const;
    for (const [i, state] of states.entries()) await a.create(send(`s${i}`, { createdAt: T0 + i, state }));
    expect(ids(await b.bySender('ou_writer', 2, ['draft', 'cancelled']))).toEqual(['s6', 's2']);
    expect(ids(await b.bySender('ou_writer', 10, ['draft', 'cancelled']))).toEqual(['s6', 's2', 's0']);
  });

  it('finds the send that made a batch message', async () => {
    const [a, b] = await open();
    await a.create(send('s1', { state: 'sending' }));
    await a.create(send('s2', { state: 'sending' }));
    const refused = { ...noRecipients(), openIds: ['ou_b'] };
    await a.advance('s1', ['sending'], { state: 'sent', batchId: 'bm-1', sentAt: T0 + 3, refused });
    expect(await b.byBatchId('bm-1')).toEqual({
      ...send('s1'),
      state: 'sent',
      batchId: 'bm-1',
      sentAt: T0 + 3,
      refused,
    });
    expect(await b.byBatchId('bm-2')).toBeUndefined();
    await a.advance('s1', ['sent'], { state: 'recalling', recalledBy: 'ou_writer' });
    expect(await b.byBatchId('bm-1')).toMatchObject({ id: 's1', state: 'recalling' });
  });

  it('lists the sends now in some states, oldest first', async () => {
    const [a, b] = await open();
    await a.create(send('queued later', { state: 'queued', createdAt: T0 + 2 }));
    await a.create(send('sending', { state: 'sending', createdAt: T0 + 1 }));
    await a.create(send('queued first', { state: 'queued', createdAt: T0 }));
    await a.create(send('draft', { createdAt: T0 + 3 }));
    expect(ids(await b.inStates(['queued', 'sending']))).toEqual(['queued first', 'sending', 'queued later']);
    await a.advance('sending', ['sending'], { state: 'unconfirmed' });
    await a.advance('draft', ['draft'], { state: 'queued' });
    expect(ids(await b.inStates(['queued', 'sending']))).toEqual(['queued first', 'queued later', 'draft']);
    expect(ids(await b.inStates(['unconfirmed']))).toEqual(['sending']);
    expect(await b.inStates([])).toEqual([]);
  });
});
