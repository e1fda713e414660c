/**
 * The query form's submit and the Delivery button on their own, through a
 * fake ActionContext: the card in the callback when in time, else a toast
 * and a later update; shutting down or shared state out of reach leave the card.
 */
import { cardInTime } from '../../src/dispatch/cardInTime.js';
import { deliveryPress } from '../../src/features/delivery/deliveryButton.js';
import { queryForm } from '../../src/features/reads/queryFormSubmit.js';
import type { Card } from '../../src/cards/card.js';
import { buildQueryFormCard } from '../../src/cards/queryFormCard.js';
import { BotError } from '../../src/domain/errors.js';
import type { DeliveryTaken } from '../../src/feishu/deliveries.js';
import { cardText } from '../support/cards.js';
import { counts, fakeActionContext, NOW, snapshotsFrom } from '../support/fakeContexts.js';
import { feishuError, gate } from '../support/inProcessBot.js';

const en = (card: unknown) => cardText(card, 'en');
const FORM_TOASTS = { done: 'queried', failed: 'queryFailed', later: 'querying' } as const;
const cardOf = (a: { card?: { data: Card } }) => a.card?.data;
const funnel = (batchId: string): DeliveryTaken => ({
  progress: {
    batchId,
    validCount: 12,
    deliveredCount: 10,
    readCount: 4,
    recalled: false,
    recallCount: 0,
    takenAt: NOW,
  },
});

describe('the query form', () => {
  it('answers with the counts of the typed ids', async () => {
    const ctx = fakeActionContext({ snapshot: snapshotsFrom({ bm_a: counts('bm_a', 7, 10) }) });
    const answer = await queryForm({ a: 'query_form', text: 'bm_a' }, ctx);
    expect(answer.toast?.i18n.en_us).toBe('Done.');
    expect(en(cardOf(answer))).toContain('Read rate: 70.0%');
  });

  it('answers a query that fails with a warning, not a success, and a card saying when it was tried', async () => {
    const ctx = fakeActionContext({ snapshot: () => Promise.reject(feishuError(230030)) });
    const answer = await queryForm({ a: 'query_form', text: 'bm_gone' }, ctx);
    expect(answer.toast).toMatchObject({
      type: 'warning',
      i18n: { en_us: 'The query failed. The card says why and what to do.' },
    });
    expect(en(cardOf(answer))).toContain('230030');
    expect(en(cardOf(answer))).toContain(`<local_datetime millisecond='${NOW}'`);
  });

  it('answers an empty input with the form again, and asks nothing', async () => {
    const ctx = fakeActionContext({ snapshot: () => Promise.reject(new Error('not asked')) });
    const answer = await queryForm({ a: 'query_form' }, ctx);
    expect(cardOf(answer)).toEqual(buildQueryFormCard());
  });

  it('refuses a person over their commands a minute, before asking Feishu', async () => {
    const ctx = fakeActionContext({
      snapshot: () => Promise.reject(new Error('not asked')),
      countCommand: async () => false,
    });
    const answer = await queryForm({ a: 'query_form', text: 'bm_a' }, ctx);
    expect(answer).toEqual({ toast: expect.objectContaining({ type: 'warning' }) });
  });
});

describe('the Delivery button', () => {
  it('answers with the funnel, naming who pressed', async () => {
    const ctx = fakeActionContext({ snapshot: snapshotsFrom({}), delivery: async (id) => funnel(id) });
    const answer = await deliveryPress({ a: 'delivery', id: 'bm_a' }, ctx);
    expect(en(cardOf(answer))).toContain('**Delivered**: 10 (83.3% of valid recipients)');
    expect(en(cardOf(answer))).toContain("<person id='ou_presser'");
  });

  it('answers a Feishu refusal with the error card', async () => {
    const ctx = fakeActionContext({ snapshot: snapshotsFrom({}), delivery: () => Promise.reject(feishuError(230006)) });
    const answer = await deliveryPress({ a: 'delivery', id: 'bm_a' }, ctx);
    expect(en(cardOf(answer))).toContain('Bot capability not enabled');
    expect(answer.toast).toMatchObject({ type: 'warning' });
    expect(en(cardOf(answer))).toContain(`<local_datetime millisecond='${NOW}'`);
  });
});

describe('cardInTime', () => {
  it('says what is coming when the card is late, and hands the card to a later update', async () => {
    const ctx = fakeActionContext({ snapshot: snapshotsFrom({}) });
    const late = gate<{ card: Card; failed: number }>();
    const answering = cardInTime(ctx, late.promise, FORM_TOASTS);
    ctx.timeUp();
    expect((await answering).toast?.i18n.en_us).toBe('Querying…');
    expect(ctx.later).toHaveLength(1);
    late.resolve({ card: buildQueryFormCard(), failed: 0 });
    expect(await ctx.later[0]!.ready).toEqual(buildQueryFormCard());
  });

  it('leaves the card as it is while shutting down, and throws on when shared state is out of reach', async () => {
    const ctx = fakeActionContext({ snapshot: snapshotsFrom({}) });
    const stopping = Promise.reject(new BotError('cancelled', 'stopping'));
    expect((await cardInTime(ctx, stopping, FORM_TOASTS)).toast?.i18n.en_us).toBe(
      'The bot is restarting; try again shortly.',
    );
    const unreachable = Promise.reject(new BotError('unavailable', 'redis down'));
    await expect(cardInTime(ctx, unreachable, FORM_TOASTS)).rejects.toThrow('redis down');
    expect(ctx.later).toEqual([]);
  });
});
