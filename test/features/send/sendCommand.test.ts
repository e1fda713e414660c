/** `/send` answers with a preview, `/sent` with the person's sends (src/features/send/sendCommand.ts). */
import { BotError } from '../../../src/domain/errors.js';
import { MAX_SEND_TEXT } from '../../../src/domain/send.js';
import { send, sent } from '../../../src/features/send/sendCommand.js';
import { buttonValue, cardText } from '../../support/cards.js';
import { counts, fakeCommandContext, snapshotsFrom } from '../../support/fakeContexts.js';
import { aDraft, aSent, fakeSending } from '../../support/sending.js';

const commandBy = (senderOpenId: string, f = fakeSending(), table = {}) => ({
  f,
  ctx: fakeCommandContext({
    text: '/send',
    senderOpenId,
    chatId: 'oc_team',
    messageId: 'om_cmd',
    snapshot: snapshotsFrom(table),
    sending: f.service,
  }),
});

describe('/send', () => {
  it('saves a draft, answers with its preview, and shows the draft on that card', async () => {
    const { f, ctx } = commandBy('ou_writer');
    await send({ kind: 'send', to: 'od-sales 0', text: 'Hello team' }, ctx);
    expect(ctx.replies).toHaveLength(1);
    expect(buttonValue(ctx.replies[0], 'Confirm')).toMatchObject({ a: 'send_confirm' });
    const [draft] = await f.sends.bySender('ou_writer', 10);
    expect(draft).toMatchObject({ state: 'draft', text: 'Hello team', cardMessageId: 'om_reply_1' });
    expect(draft!.unusable).toEqual([{ given: '0', why: 'root_department' }]);
    expect(f.started).toEqual([]);
  });

  it('answered again (the same message), finds the draft it saved rather than a second one', async () => {
    const f = fakeSending();
    await send({ kind: 'send', to: 'od-sales', text: 'Once' }, commandBy('ou_writer', f).ctx);
    await send({ kind: 'send', to: 'od-sales', text: 'Once' }, commandBy('ou_writer', f).ctx);
    expect(await f.sends.bySender('ou_writer', 10)).toHaveLength(1);
  });

  it('gives the form, saving nothing, when the message is missing or too long', async () => {
    for (const text of ['', 'x'.repeat(MAX_SEND_TEXT + 1)]) {
      const { f, ctx } = commandBy('ou_writer');
      await send({ kind: 'send', to: 'od-sales', text }, ctx);
      expect(buttonValue(ctx.replies[0], 'Preview')).toMatchObject({ a: 'send_preview' });
      expect(await f.sends.bySender('ou_writer', 10)).toEqual([]);
    }
  });

  it('tells a person not in SENDERS, or anyone when nobody may send, and saves nothing', async () => {
    for (const f of [fakeSending(), fakeSending({ senders: [] })]) {
      const { ctx } = commandBy('ou_other', f);
      await send({ kind: 'send', to: 'od-sales', text: 'Hi' }, ctx);
      expect(buttonValue(ctx.replies[0], 'Confirm')).toBeUndefined();
      expect(cardText(ctx.replies[0], 'en')).toContain('Nothing was sent');
      expect(await f.sends.bySender('ou_other', 10)).toEqual([]);
    }
  });
});

describe('/sent', () => {
  it('lists the sends, with the read counts of those sent and the error of a count that failed; not drafts', async () => {
    const f = fakeSending();
    await f.service.draft(aSent({ id: 's_a', batchId: 'bm-a', createdAt: 1 }));
    await f.service.draft(aSent({ id: 's_b', batchId: 'bm-b', createdAt: 2 }));
    await f.service.draft(aDraft({ id: 's_c', createdAt: 3 }));
    await f.service.draft(aDraft({ id: 's_d', createdAt: 4, state: 'cancelled' }));
    await f.service.draft(aDraft({ id: 's_e', createdAt: 5, state: 'queued', confirmedAt: 5 }));
    const failed = new BotError('feishu_api', 'gone', { feishuCode: 230030, httpStatus: 400 });
    const { ctx } = commandBy('ou_writer', f, { 'bm-a': counts('bm-a', 3, 4), 'bm-b': failed });
    await sent({ kind: 'sent' }, ctx);
    const text = cardText(ctx.replies[0], 'en');
    expect(text).toContain('`bm-a`\n1 department · Read 3/4 (75.0%)');
    expect(text).toContain('`bm-b`\n1 department · 📨 Sent · error 230030');
    expect(text).toContain('⏳ Waiting to go out');
    expect(text).not.toContain('Draft');
    expect(text).not.toContain('Cancelled');
    expect(text.match(/\nOpen\n/g)).toHaveLength(3);
  });

  it('is refused to a person who may not send', async () => {
    const { ctx } = commandBy('ou_other');
    await sent({ kind: 'sent' }, ctx);
    expect(cardText(ctx.replies[0], 'en')).toContain('ou_other');
  });
});
