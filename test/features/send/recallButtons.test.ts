/** Recall asks first, then recalls once; Keep it brings the card back (src/features/send/recallButtons.ts). */
import { answer, type ActionAnswer, type ToastName } from '../../../src/cards/toasts.js';
import { BotError } from '../../../src/domain/errors.js';
import { recall, recallConfirm, recallKeep } from '../../../src/features/send/recallButtons.js';
import { buttonValue, cardText } from '../../support/cards.js';
import { fakeActionContext, snapshotsFrom } from '../../support/fakeContexts.js';
import { aDraft, aSent, fakeSending } from '../../support/sending.js';

const toastOf = (a: ActionAnswer) => a.toast?.i18n.en_us;
const says = (name: ToastName) => toastOf(answer(name));
const shown = (a: ActionAnswer) => (a.card?.data as unknown as { state?: string }).state;

const pressedBy = (operatorOpenId: string, f: ReturnType<typeof fakeSending>) =>
  fakeActionContext({ snapshot: snapshotsFrom({}), press: { operatorOpenId, chatId: 'oc_team' }, sending: f.service });

it('Recall asks first, of those who may recall a sent message', async () => {
  const f = fakeSending({ admins: ['ou_admin'] });
  await f.service.draft(aSent());
  for (const who of ['ou_writer', 'ou_admin']) {
    const asked = await recall({ a: 'recall', s: 's_1' }, pressedBy(who, f));
    expect(toastOf(asked)).toBe(says('recallAsk'));
    expect(buttonValue(asked.card?.data, 'Recall')).toEqual({ a: 'recall_confirm', s: 's_1' });
    expect(buttonValue(asked.card?.data, 'Keep it')).toEqual({ a: 'recall_keep', s: 's_1' });
  }
  expect(toastOf(await recall({ a: 'recall', s: 's_1' }, pressedBy('ou_other', f)))).toBe(says('recallNotAllowed'));
  expect(toastOf(await recall({ a: 'recall', s: 's_none' }, pressedBy('ou_writer', f)))).toBe(says('unknownAction'));
  expect(f.recalls).toEqual([]);
});

it('Recall of a message not (or no longer) sent shows its card as it stands', async () => {
  const f = fakeSending();
  await f.service.draft(aDraft());
  const a = await recall({ a: 'recall', s: 's_1' }, pressedBy('ou_writer', f));
  expect([toastOf(a), shown(a)]).toEqual([says('sendNotNow'), 'draft']);
});

it('confirming recalls once; a second confirm says it is no longer sent', async () => {
  const f = fakeSending();
  await f.service.draft(aSent());
  const done = await recallConfirm({ a: 'recall_confirm', s: 's_1' }, pressedBy('ou_writer', f));
  expect([toastOf(done), shown(done)]).toEqual([says('recalled'), 'recalled']);
  const again = await recallConfirm({ a: 'recall_confirm', s: 's_1' }, pressedBy('ou_writer', f));
  expect([toastOf(again), shown(again)]).toEqual([says('sendNotNow'), 'recalled']);
  expect(f.recalls).toEqual(['bm-1']);
  expect(toastOf(await recallConfirm({ a: 'recall_confirm', s: 's_1' }, pressedBy('ou_other', f)))).toBe(
    says('recallNotAllowed'),
  );
  expect(toastOf(await recallConfirm({ a: 'recall_confirm', s: 's_x' }, pressedBy('ou_writer', f)))).toBe(
    says('unknownAction'),
  );
});

it('a recall Feishu refuses is explained with its code', async () => {
  const f = fakeSending({
    recall: () => Promise.reject(new BotError('feishu_api', 'not yours', { feishuCode: 230026, httpStatus: 400 })),
  });
  await f.service.draft(aSent());
  const refused = await recallConfirm({ a: 'recall_confirm', s: 's_1' }, pressedBy('ou_writer', f));
  expect(toastOf(refused)).toBe(says('recallRefused'));
  expect(cardText(refused.card?.data, 'en')).toContain('230026');
});

it('Keep it shows the card again and recalls nothing', async () => {
  const f = fakeSending();
  await f.service.draft(aSent());
  const kept = await recallKeep({ a: 'recall_keep', s: 's_1' }, pressedBy('ou_other', f));
  expect([toastOf(kept), shown(kept)]).toEqual([says('recallKept'), 'sent']);
  expect(toastOf(await recallKeep({ a: 'recall_keep', s: 's_x' }, pressedBy('ou_writer', f)))).toBe(
    says('unknownAction'),
  );
  expect(f.recalls).toEqual([]);
});
