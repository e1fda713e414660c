/** The Extend handler on its own: the running watch restarted with the new duration, or the toast when it has ended. */
import { extendWatch } from '../../../src/features/watch/extendButton.js';
import type { Watch } from '../../../src/domain/types.js';
import { cardText, expectValidCard } from '../../support/cards.js';
import { fakeActionContext, FakeWatches, NOW, snapshotsFrom } from '../../support/fakeContexts.js';

const HOUR = 3_600_000;
const running: Watch = {
  ...{ id: 'w_1', batchId: 'bm_a', chatId: 'oc_1', cardMessageId: 'om_card', startedBy: 'ou_starter' },
  ...{ startedAt: NOW, until: NOW + HOUR, intervalMs: 300_000, nextAt: NOW + 300_000 },
};

function pressExtend(watches: FakeWatches) {
  const action = { a: 'extend_watch' as const, w: 'w_1', d: 3 * HOUR, i: 600_000 };
  const ctx = fakeActionContext({
    snapshot: snapshotsFrom({}),
    watches,
    press: { operatorOpenId: 'ou_presser', action },
  });
  return extendWatch(action, ctx);
}

it('restarts the running watch with the duration asked for, and says who extended it until when', async () => {
  const watches = new FakeWatches();
  await watches.add(running);
  const answer = await pressExtend(watches);
  expect(watches.extensions).toEqual([{ watchId: 'w_1', durationMs: 3 * HOUR, intervalMs: 600_000 }]);
  expect(answer.toast).toMatchObject({ type: 'success', i18n: { en_us: 'Watch extended.' } });
  const card = answer.card!.data;
  expectValidCard(card);
  expect(cardText(card, 'en')).toContain(
    "<person id='ou_presser' show_name=true show_avatar=true style='capsule'></person> extended the watch of **bm_a**: updating every 10 min",
  );
  expect(cardText(card, 'zh')).toContain(`<local_datetime millisecond='${NOW + 3 * HOUR}' format_type='time'>`);
});

it('says the watch has ended when it has, and changes nothing', async () => {
  const watches = new FakeWatches();
  await watches.add({ ...running, endedReason: 'time_up', endedAt: NOW });
  const answer = await pressExtend(watches);
  expect(answer).toEqual({
    toast: expect.objectContaining({ i18n: expect.objectContaining({ en_us: 'The watch has already ended.' }) }),
  });
  expect((await watches.get('w_1'))!.until).toBe(NOW + HOUR);
});
