/** A send's card as it stands, and what any reads card adds for a message the bot sent (src/features/send/sendCards.ts). */
import { createLogger } from '../../../src/app/log.js';
import { BotError } from '../../../src/domain/errors.js';
import type { Send } from '../../../src/domain/send.js';
import type { Progress } from '../../../src/domain/types.js';
import { SendCards } from '../../../src/features/send/sendCards.js';
import type { Deliveries } from '../../../src/feishu/deliveries.js';
import type { Snapshots, Taken } from '../../../src/feishu/snapshots.js';
import { buttonValue, cardText } from '../../support/cards.js';
import { counts, FakeWatches } from '../../support/fakeContexts.js';
import { aDraft, aSent, fakeSending, T0 } from '../../support/sending.js';

const log = createLogger('silent');
const notFound = new BotError('feishu_api', 'not found', { feishuCode: 230030, httpStatus: 400 });

function cards(o: { reads?: () => Promise<Taken>; progress?: () => Promise<Progress> } = {}) {
  const { sends, clock } = fakeSending();
  const snapshots = { take: o.reads ?? (async () => ({ snapshot: counts('bm-1', 3, 4, clock.now()), earlier: [] })) };
  const deliveries = { take: async () => ({ progress: await (o.progress ?? (() => Promise.reject(notFound)))() }) };
  const c = new SendCards({
    sends,
    snapshots: snapshots as unknown as Snapshots,
    deliveries: deliveries as unknown as Deliveries,
    watches: new FakeWatches(),
    clock,
    timeZone: 'UTC',
    logger: log,
  });
  return { c, sends, clock };
}
const en = (card: unknown) => cardText(card, 'en');

it('shows a draft as its preview, and a send on its way or that failed as its state', async () => {
  const { c } = cards();
  expect(buttonValue(await c.cardOf(aDraft(), log), 'Confirm')).toBeDefined();
  expect(en(await c.cardOf(aDraft({ state: 'queued', confirmedAt: T0 }), log))).toContain(
    'Confirmed, waiting to go out',
  );
  expect(buttonValue(await c.cardOf(aDraft({ state: 'unconfirmed' }), log), 'Send again')).toBeDefined();
});

it('shows a sent message as the reads card of its batch id, with who sent it and Recall', async () => {
  const { c } = cards();
  const card = await c.cardOf(aSent(), log, 'ou_presser');
  expect(en(card)).toContain('Read 3/4');
  expect(en(card)).toContain('Sent through the bot by');
  expect(buttonValue(card, 'Recall')).toEqual({ a: 'recall', s: 's_1' });
});

it('shows no counts rather than an error while Feishu may not know a new batch id yet; an error after that', async () => {
  const { c, clock } = cards({ reads: () => Promise.reject(notFound) });
  expect(en(await c.cardOf(aSent({ sentAt: clock.now() }), log))).toContain('Read 0/0');
  await clock.advance(10 * 60_000);
  await expect(c.cardOf(aSent({ sentAt: T0 }), log)).rejects.toBe(notFound);
});

it('a recalled message says what get_progress tells of the recall, or nothing when it cannot say', async () => {
  const recalled: Partial<Send> = { state: 'recalled', recalledAt: T0, recalledBy: 'ou_writer' };
  const progress = async (): Promise<Progress> => ({
    ...{ batchId: 'bm-1', takenAt: T0, validCount: 4, deliveredCount: 4, readCount: 3 },
    ...{ recalled: true, recallCount: 4 },
  });
  expect(en(await cards({ progress }).c.cardOf(aSent(recalled), log))).toContain('taken it back from 4 people');
  const unsaid = en(await cards().c.cardOf(aSent(recalled), log));
  expect(unsaid).toContain('Recalled by');
  expect(unsaid).not.toContain('taken it back');
});

it('tells any reads card whether the bot sent the message', async () => {
  const { c, sends } = cards();
  await sends.create(aSent());
  expect(await c.sentView('bm-1')).toMatchObject({ sendId: 's_1', by: 'ou_writer' });
  expect(await c.sentView('bm-other')).toBeUndefined();
});
