/** The Stop-watching handler on its own: the toast and card each outcome of a stop answers with. */
import { stopWatch } from '../../../src/features/watch/stopButton.js';
import { buildReadsCard } from '../../../src/cards/readsCard.js';
import { counts, fakeActionContext, FakeWatches, NOW, snapshotsFrom } from '../../support/fakeContexts.js';
import { cardText } from '../../support/cards.js';

const finalCard = buildReadsCard({ snapshot: counts('bm_a', 3, 3), now: NOW }, 'Asia/Shanghai');

function pressStop(watches: FakeWatches) {
  const ctx = fakeActionContext({
    snapshot: snapshotsFrom({}),
    watches,
    press: { operatorOpenId: 'ou_presser', action: { a: 'stop_watch', w: 'w_1' } },
  });
  return stopWatch({ a: 'stop_watch', w: 'w_1' }, ctx);
}

it('stops the watch for the presser and shows the final card', async () => {
  const watches = new FakeWatches();
  watches.stopIs = { stopped: true, card: finalCard };
  const answer = await pressStop(watches);
  expect(watches.stops).toEqual([{ watchId: 'w_1', operator: 'ou_presser', from: 'om_card' }]); // pressed on its own card
  expect(answer.toast).toMatchObject({ type: 'success', i18n: { en_us: 'Watch stopped.' } });
  expect(answer.card).toEqual({ type: 'raw', data: finalCard });
});

it('tells someone not allowed so, and leaves the card alone', async () => {
  const watches = new FakeWatches();
  watches.stopIs = { stopped: false, reason: 'not_allowed' };
  const answer = await pressStop(watches);
  expect(answer.toast?.i18n.en_us).toContain('Only the person who started the watch');
  expect(answer.card).toBeUndefined();
});

it('says a watch that already ended has, with its final card', async () => {
  const watches = new FakeWatches();
  watches.stopIs = { stopped: false, reason: 'already_ended', card: finalCard };
  const answer = await pressStop(watches);
  expect(answer.toast).toMatchObject({ type: 'info', i18n: { en_us: 'The watch has already ended.' } });
  expect(cardText(answer.card?.data, 'en')).toContain('Read rate: 100%');
});

it('says a watch it does not know has ended, without a card', async () => {
  const watches = new FakeWatches();
  watches.stopIs = { stopped: false, reason: 'unknown' };
  const answer = await pressStop(watches);
  expect(answer.toast?.i18n.en_us).toBe('The watch has already ended.');
  expect(answer.card).toBeUndefined();
});
