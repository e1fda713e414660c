/** The buttons of a send, each answered with a toast and the card as the send now stands (src/features/send/sendButtons.ts). */
import { answer, type ActionAnswer, type ToastName } from '../../../src/cards/toasts.js';
import { DRAFT_TTL_MS, MAX_SEND_TEXT, SEND_FORM } from '../../../src/domain/send.js';
import {
  openSend,
  sendAgain,
  sendCancel,
  sendConfirm,
  sendEdit,
  sendForm,
  sendPreview,
} from '../../../src/features/send/sendButtons.js';
import { buttonValue, cardText } from '../../support/cards.js';
import { fakeActionContext, snapshotsFrom } from '../../support/fakeContexts.js';
import { aDraft, fakeSending, silent } from '../../support/sending.js';

const toastOf = (a: ActionAnswer) => a.toast?.i18n.en_us;
const says = (name: ToastName) => toastOf(answer(name));
const shown = (a: ActionAnswer) => a.card?.data as unknown as { state?: string; text?: string };

function pressedBy(operatorOpenId: string, f = fakeSending()) {
  const ctx = fakeActionContext({
    snapshot: snapshotsFrom({}),
    press: { operatorOpenId, messageId: 'om_card', chatId: 'oc_team' },
    sending: f.service,
  });
  return { ...f, ctx };
}

describe('the form', () => {
  it('is given to those who may send; others are told who can allow them', async () => {
    expect(toastOf(await sendForm({ a: 'send_form' }, pressedBy('ou_writer').ctx))).toBe(says('sendFormShown'));
    const refused = await sendForm({ a: 'send_form' }, pressedBy('ou_other').ctx);
    expect(toastOf(refused)).toBe(says('notASender'));
    expect(cardText(refused.card?.data, 'en')).toContain('ou_other');
  });

  it('Preview saves a draft shown on the form’s card, and answers with its preview', async () => {
    const { ctx, sends } = pressedBy('ou_writer');
    const a = await sendPreview({ a: 'send_preview', text: 'Hi all\nsecond line', to: 'od-sales, ou_ann' }, ctx);
    expect(toastOf(a)).toBe(says('previewShown'));
    expect(buttonValue(a.card?.data, 'Confirm')).toMatchObject({ a: 'send_confirm' });
    const [draft] = await sends.bySender('ou_writer', 10);
    expect(draft).toMatchObject({
      state: 'draft',
      text: 'Hi all\nsecond line',
      cardMessageId: 'om_card',
      chatId: 'oc_team',
    });
    expect(draft!.recipients).toMatchObject({ departments: ['od-sales'], openIds: ['ou_ann'] });
  });

  it('gives the form back, saving nothing, for an empty or too long message; refuses one who may not send', async () => {
    for (const text of ['', '   ', 'x'.repeat(MAX_SEND_TEXT + 1)]) {
      const { ctx, sends } = pressedBy('ou_writer');
      const a = await sendPreview({ a: 'send_preview', text, to: 'od-sales' }, ctx);
      expect(toastOf(a)).toBe(says('sendFormShown'));
      expect(JSON.stringify(a.card?.data)).toContain(SEND_FORM.form);
      expect(await sends.bySender('ou_writer', 10)).toEqual([]);
    }
    const { ctx, sends } = pressedBy('ou_other');
    expect(toastOf(await sendPreview({ a: 'send_preview', text: 'Hi', to: 'od-sales' }, ctx))).toBe(says('notASender'));
    expect(await sends.bySender('ou_other', 10)).toEqual([]);
  });

  it('a form submitted without its fields (nothing typed) is given back', async () => {
    const { ctx, sends } = pressedBy('ou_writer');
    expect(toastOf(await sendPreview({ a: 'send_preview' }, ctx))).toBe(says('sendFormShown'));
    expect(await sends.bySender('ou_writer', 10)).toEqual([]);
  });

  it('Preview of a form whose draft was confirmed meanwhile changes nothing, and says so', async () => {
    const f = fakeSending();
    await f.service.draft(aDraft());
    await f.service.confirm('s_1', 'ou_writer', silent);
    const late = await sendPreview(
      { a: 'send_preview', text: 'Too late', to: 'od-x', s: 's_1' },
      pressedBy('ou_writer', f).ctx,
    );
    expect([toastOf(late), shown(late)]).toEqual([says('sendNotNow'), { state: 'queued', text: 'Hello' }]);
  });

  it('Preview of an edited form rewrites its draft, for its writer only', async () => {
    const f = fakeSending({ senders: ['ou_writer', 'ou_other'] });
    await f.service.draft(aDraft());
    const edit = { a: 'send_preview', text: 'Edited', to: 'ou_ann', s: 's_1' } as const;
    expect(toastOf(await sendPreview(edit, pressedBy('ou_other', f).ctx))).toBe(says('notTheWriter'));
    const a = await sendPreview(edit, pressedBy('ou_writer', f).ctx);
    expect(toastOf(a)).toBe(says('previewShown'));
    expect(shown(a)).toEqual({ state: 'draft', text: 'Edited' });
    expect((await f.sends.get('s_1'))!.recipients.openIds).toEqual(['ou_ann']);
  });
});

describe('the preview’s buttons', () => {
  it('Confirm starts the send; a second press says it is already on its way', async () => {
    const f = fakeSending();
    await f.service.draft(aDraft());
    const first = await sendConfirm({ a: 'send_confirm', s: 's_1' }, pressedBy('ou_writer', f).ctx);
    expect(toastOf(first)).toBe(says('sendingStarted'));
    expect(shown(first).state).toBe('queued');
    expect(toastOf(await sendConfirm({ a: 'send_confirm', s: 's_1' }, pressedBy('ou_writer', f).ctx))).toBe(
      says('alreadySent'),
    );
    expect(f.started).toHaveLength(1);
  });

  it('Confirm on an expired preview shows a fresh one; by another person, or of an unknown send, does nothing', async () => {
    const f = fakeSending({ senders: ['ou_writer', 'ou_other'] });
    await f.service.draft(aDraft());
    expect(toastOf(await sendConfirm({ a: 'send_confirm', s: 's_1' }, pressedBy('ou_other', f).ctx))).toBe(
      says('notTheWriter'),
    );
    expect(toastOf(await sendConfirm({ a: 'send_confirm', s: 's_none' }, pressedBy('ou_writer', f).ctx))).toBe(
      says('unknownAction'),
    );
    await f.clock.advance(DRAFT_TTL_MS);
    const expired = await sendConfirm({ a: 'send_confirm', s: 's_1' }, pressedBy('ou_writer', f).ctx);
    expect(toastOf(expired)).toBe(says('previewExpired'));
    expect(shown(expired).state).toBe('draft');
    expect(f.started).toHaveLength(0);
  });

  it('Confirm and Send again by a writer no longer in SENDERS are refused, and send nothing', async () => {
    const f = fakeSending({ senders: ['ou_someone_else'] });
    await f.service.draft(aDraft());
    await f.service.draft(aDraft({ id: 's_2', state: 'unconfirmed' }));
    const confirm = await sendConfirm({ a: 'send_confirm', s: 's_1' }, pressedBy('ou_writer', f).ctx);
    const again = await sendAgain({ a: 'send_again', s: 's_2' }, pressedBy('ou_writer', f).ctx);
    expect([toastOf(confirm), toastOf(again)]).toEqual([says('notASender'), says('notASender')]);
    // The card stays as the chat sees it.
    expect([shown(confirm).state, shown(again).state]).toEqual(['draft', 'unconfirmed']);
    // Another person's press is still told it is not theirs, whatever their own permission.
    const bystander = await sendConfirm({ a: 'send_confirm', s: 's_1' }, pressedBy('ou_other', f).ctx);
    expect([toastOf(bystander), shown(bystander).state]).toEqual([says('notTheWriter'), 'draft']);
    expect(f.started).toHaveLength(0);
    expect([(await f.sends.get('s_1'))!.state, (await f.sends.get('s_2'))!.state]).toEqual(['draft', 'unconfirmed']);
  });

  it('Cancel cancels; Send again sends what was not confirmed', async () => {
    const f = fakeSending();
    await f.service.draft(aDraft());
    await f.service.draft(aDraft({ id: 's_2', state: 'unconfirmed' }));
    const cancelled = await sendCancel({ a: 'send_cancel', s: 's_1' }, pressedBy('ou_writer', f).ctx);
    expect([toastOf(cancelled), shown(cancelled).state]).toEqual([says('sendCancelled'), 'cancelled']);
    const again = await sendAgain({ a: 'send_again', s: 's_2' }, pressedBy('ou_writer', f).ctx);
    expect([toastOf(again), shown(again).state]).toEqual([says('sendingStarted'), 'queued']);
    expect(toastOf(await sendAgain({ a: 'send_again', s: 's_2' }, pressedBy('ou_writer', f).ctx))).toBe(
      says('alreadySent'),
    );
  });

  it('Edit gives the form filled in with the draft; not for another person, nor once it is sent', async () => {
    const f = fakeSending();
    await f.service.draft(aDraft({ text: 'Draft text' }));
    const form = await sendEdit({ a: 'send_edit', s: 's_1' }, pressedBy('ou_writer', f).ctx);
    expect(toastOf(form)).toBe(says('sendFormShown'));
    expect(JSON.stringify(form.card?.data)).toContain('Draft text');
    expect(buttonValue(form.card?.data, 'Preview')).toMatchObject({ a: 'send_preview', s: 's_1' });
    expect(toastOf(await sendEdit({ a: 'send_edit', s: 's_1' }, pressedBy('ou_other', f).ctx))).toBe(
      says('notTheWriter'),
    );
    expect(toastOf(await sendEdit({ a: 'send_edit', s: 's_none' }, pressedBy('ou_writer', f).ctx))).toBe(
      says('unknownAction'),
    );
    await f.service.confirm('s_1', 'ou_writer', silent);
    const late = await sendEdit({ a: 'send_edit', s: 's_1' }, pressedBy('ou_writer', f).ctx);
    expect([toastOf(late), shown(late).state]).toEqual([says('alreadySent'), 'queued']);
  });
});

describe('Open, on the list of sends', () => {
  it('shows the send’s card as it stands, to anyone who has the list; an unknown one does nothing', async () => {
    const f = fakeSending();
    await f.service.draft(aDraft({ state: 'sent', batchId: 'bm-1' }));
    const opened = await openSend({ a: 'open_send', s: 's_1' }, pressedBy('ou_other', f).ctx);
    expect([toastOf(opened), shown(opened).state]).toEqual([says('sendOpened'), 'sent']);
    expect(toastOf(await openSend({ a: 'open_send', s: 's_none' }, pressedBy('ou_other', f).ctx))).toBe(
      says('unknownAction'),
    );
  });
});
