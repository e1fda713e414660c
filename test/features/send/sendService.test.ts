/** Who may do what with a send, and each change made once (src/features/send/sendService.ts). */
import { BotError } from '../../../src/domain/errors.js';
import { DRAFT_TTL_MS } from '../../../src/domain/send.js';
import { capturedLogs } from '../../support/capturedLogs.js';
import { aDraft, aSent, fakeSending, silent as log, T0 } from '../../support/sending.js';

const draft = aDraft;
const service = (o?: Parameters<typeof fakeSending>[0]) => {
  const f = fakeSending(o);
  return { ...f, svc: f.service };
};

describe('who may send', () => {
  it('nobody when SENDERS is empty; those listed by open id or user id; the rest are not listed', () => {
    expect(service({ senders: [] }).svc.permission({ openId: 'ou_writer' })).toBe('nobody');
    const { svc } = service({ senders: ['ou_a', 'u_b'] });
    expect(svc.permission({ openId: 'ou_a' })).toBe('allowed');
    expect(svc.permission({ openId: 'ou_x', userId: 'u_b' })).toBe('allowed');
    expect(svc.permission({ openId: 'ou_x', userId: 'u_x' })).toBe('not_listed');
  });
});

describe('confirm', () => {
  it('starts the send once, for its writer only', async () => {
    const { svc, sends, started } = service();
    await svc.draft(draft());
    expect((await svc.confirm('s_1', 'ou_other', log)).kind).toBe('not_allowed');
    const outcomes = await Promise.all([svc.confirm('s_1', 'ou_writer', log), svc.confirm('s_1', 'ou_writer', log)]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['done', 'moved']);
    expect(started).toHaveLength(1);
    expect((await sends.get('s_1'))!.state).toBe('queued');
  });

  it('renews a draft past its 30 minutes instead of sending it; the renewed one can be confirmed', async () => {
    const { svc, clock, started } = service();
    await svc.draft(draft());
    await clock.advance(DRAFT_TTL_MS);
    const expired = await svc.confirm('s_1', 'ou_writer', log);
    expect(expired).toMatchObject({ kind: 'expired', send: { state: 'draft', previewedAt: T0 + DRAFT_TTL_MS } });
    expect(started).toHaveLength(0);
    expect((await svc.confirm('s_1', 'ou_writer', log)).kind).toBe('done');
  });

  it('sends nothing for a writer no longer in SENDERS, by open id or user id; a bystander is still not the writer', async () => {
    const { svc, sends, started } = service({ senders: ['u_writer'] });
    await svc.draft(draft({ senderUserId: 'u_writer' }));
    await svc.draft(draft({ id: 's_2', senderUserId: 'u_left' }));
    await svc.draft(draft({ id: 's_3', senderUserId: 'u_left', state: 'unconfirmed' }));
    expect((await svc.confirm('s_2', 'ou_writer', log)).kind).toBe('not_a_sender');
    expect((await svc.again('s_3', 'ou_writer', log)).kind).toBe('not_a_sender');
    expect((await svc.confirm('s_2', 'ou_other', log)).kind).toBe('not_allowed');
    expect([(await sends.get('s_2'))!.state, (await sends.get('s_3'))!.state]).toEqual(['draft', 'unconfirmed']);
    // Listed by user id, the writer may: only what goes out asks SENDERS, so Cancel still works for the others.
    expect((await svc.confirm('s_1', 'ou_writer', log)).kind).toBe('done');
    expect((await svc.cancel('s_2', 'ou_writer')).kind).toBe('done');
    expect(started.map((s) => s.id)).toEqual(['s_1']);
  });

  it('answers unknown for an id it never saved', async () => {
    const { svc } = service();
    expect((await svc.confirm('s_none', 'ou_writer', log)).kind).toBe('unknown');
    expect((await svc.cancel('s_none', 'ou_writer')).kind).toBe('unknown');
    expect((await svc.recall('s_none', 'ou_writer', log)).kind).toBe('unknown');
  });

  it('a draft saved twice (a command answered again) is the first one', async () => {
    const { svc } = service();
    await svc.draft(draft({ text: 'First' }));
    expect((await svc.draft(draft({ text: 'Second' }))).text).toBe('First');
  });
});

describe('cancel and send again', () => {
  it('cancels a draft for its writer; a confirm after it moves nothing', async () => {
    const { svc, started } = service();
    await svc.draft(draft());
    expect((await svc.cancel('s_1', 'ou_other')).kind).toBe('not_allowed');
    expect((await svc.cancel('s_1', 'ou_writer')).kind).toBe('done');
    expect((await svc.confirm('s_1', 'ou_writer', log)).kind).toBe('moved');
    expect(started).toHaveLength(0);
  });

  it('sends again only what failed or was not confirmed', async () => {
    const { svc, started } = service();
    await svc.draft(draft({ state: 'sent', batchId: 'bm-1' }));
    expect((await svc.again('s_1', 'ou_writer', log)).kind).toBe('moved');
    await svc.draft(draft({ id: 's_2', state: 'unconfirmed' }));
    expect((await svc.again('s_2', 'ou_writer', log)).kind).toBe('done');
    expect(started.map((s) => s.id)).toEqual(['s_2']);
  });
});

describe('recall', () => {
  const sent = () => aSent();

  it('its writer and the owner or managers of its chat may; others, or when the chat cannot be read, may not', async () => {
    const { svc } = service({ admins: ['ou_admin'] });
    expect(await svc.mayRecall(sent(), 'ou_writer')).toBe(true);
    expect(await svc.mayRecall(sent(), 'ou_admin')).toBe(true);
    expect(await svc.mayRecall(sent(), 'ou_other')).toBe(false);
    expect(await svc.mayRecall(sent(), 'ou_broken')).toBe(false);
  });

  it('calls Feishu once however often it is pressed, and stops the card’s watch', async () => {
    const { svc, recalls, stopped, sends } = service();
    await svc.draft(sent());
    const outcomes = await Promise.all([1, 2, 3].map(() => svc.recall('s_1', 'ou_writer', log)));
    expect(outcomes.filter((o) => o.kind === 'done')).toHaveLength(1);
    expect(recalls).toEqual(['bm-1']);
    expect(stopped).toEqual(['s_1']);
    expect(await sends.get('s_1')).toMatchObject({ state: 'recalled', recalledBy: 'ou_writer', recalledAt: T0 });
  });

  it('a recall Feishu refuses leaves the message sent, with the reason', async () => {
    const refusal = new BotError('feishu_api', 'too late', { feishuCode: 230009 });
    const { svc, sends } = service({ recall: () => Promise.reject(refusal) });
    await svc.draft(sent());
    const outcome = await svc.recall('s_1', 'ou_writer', log);
    expect(outcome).toMatchObject({ kind: 'refused', error: { feishuCode: 230009 } });
    expect((await sends.get('s_1'))!.state).toBe('sent');
  });
});

describe('the audit log', () => {
  const audited = (text: string) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.audit !== undefined);

  it('says who confirmed a send, to whom, and who recalled it, with its batch id and a time', async () => {
    const { svc } = service();
    const logs = capturedLogs('info');
    await svc.draft(aDraft());
    await svc.confirm('s_1', 'ou_writer', logs.logger);
    await svc.draft(aSent({ id: 's_2' }));
    await svc.recall('s_2', 'ou_writer', logs.logger);
    const recipients = aDraft().recipients;
    expect(audited(logs.text())).toEqual([
      expect.objectContaining({
        audit: 'confirm',
        send_id: 's_1',
        by: 'ou_writer',
        recipients,
        time: expect.any(Number),
      }),
      expect.objectContaining({ audit: 'recall', send_id: 's_2', batch_id: 'bm-1', by: 'ou_writer', recipients }),
    ]);
  });

  it('logs a recall Feishu refused, with its code', async () => {
    const refusal = new BotError('feishu_api', 'not ours', { feishuCode: 230026 });
    const { svc } = service({ recall: () => Promise.reject(refusal) });
    const logs = capturedLogs('info');
    await svc.draft(aSent());
    await svc.recall('s_1', 'ou_writer', logs.logger);
    expect(audited(logs.text())).toEqual([
      expect.objectContaining({ audit: 'recall_refused', batch_id: 'bm-1', by: 'ou_writer', feishu_code: 230026 }),
    ]);
  });
});
