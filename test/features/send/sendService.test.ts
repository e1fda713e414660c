/** Who may do what with a send, and each change made once (src/features/send/sendService.ts). */
import { createLogger } from '../../../src/app/log.js';
import type { Card } from '../../../src/cards/card.js';
import { BotError } from '../../../src/domain/errors.js';
import { DRAFT_TTL_MS, noRecipients, type Send } from '../../../src/domain/send.js';
import type { ConfirmedSends } from '../../../src/features/send/confirmedSends.js';
import type { SendCards } from '../../../src/features/send/sendCards.js';
import { SendService } from '../../../src/features/send/sendService.js';
import type { Outbound } from '../../../src/feishu/outbound.js';
import { embeddedState } from '../../../src/state/sqlite/sqliteState.js';
import { SEEN_TTL_MS, Store } from '../../../src/state/sqlite/store.js';
import { FakeClock } from '../../support/fakeClock.js';

const T0 = 1_800_000_000_000;
const log = createLogger('silent');
const draft = (o: Partial<Send> = {}): Send => ({
  id: 's_1',
  state: 'draft',
  senderOpenId: 'ou_writer',
  senderUserId: 'u_writer',
  chatId: 'oc_team',
  text: 'Hello',
  recipients: { ...noRecipients(), departments: ['od-sales'] },
  unusable: [],
  createdAt: T0,
  ...o,
});

function service(o: { senders?: string[]; admins?: string[]; recall?: () => Promise<void> } = {}) {
  const clock = new FakeClock(T0);
  const sends = embeddedState(
    Store.open({ path: ':memory:', now: () => clock.now(), seenTtlMs: SEEN_TTL_MS }),
    clock,
  ).sends;
  const started: Send[] = [];
  const stopped: string[] = [];
  const recalls: string[] = [];
  const confirmed = {
    start: (send: Send) => void started.push(send),
    stopTracking: async (send: Send) => void stopped.push(send.id),
  } as unknown as ConfirmedSends;
  const outbound = {
    recallBatch: async (batchId: string) => {
      recalls.push(batchId);
      await o.recall?.();
    },
  } as unknown as Outbound;
  const svc = new SendService({
    sends,
    senders: new Set(o.senders ?? ['ou_writer']),
    outbound,
    confirmed,
    cards: { cardOf: async () => ({}) as Card } as unknown as SendCards,
    isChatAdmin: async (chatId, openId) => {
      if (openId === 'ou_broken') throw new Error('chat lookup failed');
      return chatId === 'oc_team' && (o.admins ?? []).includes(openId);
    },
    clock,
  });
  return { svc, sends, clock, started, stopped, recalls };
}

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

  it('answers unknown for an id it never saved', async () => {
    expect((await service().svc.confirm('s_none', 'ou_writer', log)).kind).toBe('unknown');
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
  const sent = () => draft({ state: 'sent', batchId: 'bm-1', sentAt: T0 });

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
