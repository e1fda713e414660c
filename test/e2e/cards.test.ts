/**
 * Cards that live: Refresh (answered in the callback, or updated afterwards),
 * several ids, history and trend — over real HTTP, with the buttons' values
 * taken from the cards the bot actually sent.
 */
import { buttonValue, cardText } from '../support/cards.js';
import type { Harness } from '../support/harness.js';
import { heldHarness } from '../support/heldHarness.js';
import { until } from '../support/until.js';

const { clock, fake, start, close } = heldHarness();
let h: Harness;
beforeAll(async () => (h = await start()));
afterAll(() => close(h));

const replyTo = (messageId: string) => h.onlyReply(messageId);

it('Refresh answers in the callback with fresh numbers, who refreshed, and what changed', async () => {
  h.fake.setBatch('bm_refresh', [
    { kind: 'counts', read: 10, total: 50 },
    { kind: 'counts', read: 22, total: 50 },
  ]);
  const { messageId } = await h.send('/reads bm_refresh', { chatId: 'oc_team' });
  const reply = await replyTo(messageId);
  const value = buttonValue(reply.card, 'Refresh');
  expect(value).toEqual({ a: 'refresh', ids: ['bm_refresh'], at: expect.any(Number), t: expect.any(Number) });

  const { status, answer } = await h.press({
    operatorOpenId: 'ou_ann',
    messageId: reply.messageId,
    chatId: 'oc_team',
    value,
  });
  expect(status).toBe(200);
  expect(answer.toast).toMatchObject({ type: 'success', i18n: { en_us: 'Refreshed.' } });
  const card = (answer.card as { type: string; data: unknown }).data;
  expect((answer.card as { type: string }).type).toBe('raw');
  const en = cardText(card, 'en');
  expect(en).toContain('Read rate: 44.0%');
  expect(en).toContain("refreshed by <person id='ou_ann'");
  // Since the snapshot the pressed card showed (its `at`), from the raw counts: 20.0% → 44.0%.
  expect(en).toContain(
    `📈 Since this card's previous snapshot (<local_datetime millisecond='${String(value!.at)}' format_type='date_short'>`,
  );
  expect(en).toContain('**+12** read, read rate **+24.0** pts');
  expect(JSON.stringify(card)).not.toContain('<at'); // a refresh notifies nobody
  expect(JSON.stringify(card)).toContain('"tag":"chart"'); // two snapshots: the trend appears
});

it('Refresh that takes longer than the callback allows says "refreshing…" and updates the card afterwards', async () => {
  h.fake.setBatch('bm_slow_refresh', [
    { kind: 'counts', read: 1, total: 10 },
    { kind: 'counts', read: 9, total: 10 },
  ]);
  const { messageId } = await h.send('/reads bm_slow_refresh');
  const reply = await replyTo(messageId);
  fake.hold('bm_slow_refresh'); // the refresh's numbers are on their way and stay there
  const pressing = h.press({
    operatorOpenId: 'ou_bob',
    messageId: reply.messageId,
    chatId: 'oc_x',
    value: buttonValue(reply.card, 'Refresh'),
  });
  await until(() => fake.waitingFor('bm_slow_refresh') === 1, 10_000, 'the refresh to call read_user');
  expect(clock.wakeAll()).toBeGreaterThanOrEqual(1); // the callback's time is up
  const { answer } = await pressing;
  expect(answer).toEqual({
    toast: expect.objectContaining({ type: 'info', i18n: expect.objectContaining({ en_us: 'Refreshing…' }) }),
  });
  expect(h.fake.patches.filter((p) => p.messageId === reply.messageId)).toHaveLength(0);

  fake.release('bm_slow_refresh');
  await h.bot.idle();
  const patched = h.fake.patches.filter((p) => p.messageId === reply.messageId);
  expect(patched).toHaveLength(1);
  expect(cardText(patched[0]!.card, 'en')).toContain('Read rate: 90.0%');
  expect(cardText(patched[0]!.card, 'en')).toContain("refreshed by <person id='ou_bob'");
});

it('answers several ids with one card: a row each, errors in their row, totals; duplicates asked once', async () => {
  h.fake.setBatch('bm_m1', { kind: 'counts', read: 3, total: 4 });
  h.fake.setBatch('bm_m2', { kind: 'counts', read: 1, total: 4 });
  h.fake.setBatch('bm_m3', { kind: 'error', httpStatus: 400, code: 230012, msg: 'not the sender' });
  const before = h.fake.readUserCalls.length;
  const { messageId } = await h.send('/reads bm_m1 bm_m2 bm_m3 bm_m1');
  const en = cardText((await replyTo(messageId)).card, 'en');
  expect(en).toContain('| bm_m1 | 3 | 4 | 75.0% |');
  expect(en).toContain('| bm_m3 |  |  | ❌ 230012 |');
  expect(en).toContain('❌ **230012** Not sent by this bot: bm_m3');
  expect(en).toContain('**Total**: **4** read of 8 pushed, read rate **50.0%** (the 2 that answered)');
  expect(h.fake.readUserCalls.length - before).toBe(3);
});

it('answers 10 ids within the 30 KB card limit, and refuses 11 without calling Feishu', async () => {
  const ids = Array.from({ length: 10 }, (_, i) => `bm_ten_${i}_${'x'.repeat(50)}`);
  for (const id of ids) h.fake.setBatch(id, { kind: 'counts', read: 999_999, total: 1_000_000 });
  const ten = await h.send(`/reads ${ids.join(' ')}`);
  const reply = await replyTo(ten.messageId);
  expect(Buffer.byteLength(JSON.stringify(reply.card))).toBeLessThan(30 * 1024);
  // All ten and the totals on the first page: a table component of page size 10, the totals above it.
  const table = (
    reply.card as { body: { elements: Array<{ tag: string; page_size?: number; rows?: unknown[] }> } }
  ).body.elements.find((e) => e.tag === 'table')!;
  expect(table.page_size).toBe(10);
  expect(table.rows).toHaveLength(10);
  expect(cardText(reply.card, 'en')).toContain(
    '**Total**: **9,999,990** read of 10,000,000 pushed, read rate **99.9%**',
  );
  const before = h.fake.readUserCalls.length;
  const eleven = await h.send(`/reads ${ids.join(' ')} bm_eleventh`);
  expect(cardText((await replyTo(eleven.messageId)).card, 'en')).toContain(
    'At most 10 batch message ids at once; this had 11',
  );
  expect(h.fake.readUserCalls.length).toBe(before);
});

it('records the snapshots, the latest replacing one taken within a minute; the history command shows the series', async () => {
  h.fake.setBatch('bm_hist', [
    { kind: 'counts', read: 1, total: 10 },
    { kind: 'counts', read: 4, total: 10 },
    { kind: 'counts', read: 6, total: 10 },
  ]);
  const first = await h.send('/reads bm_hist');
  expect(JSON.stringify((await replyTo(first.messageId)).card)).not.toContain('"tag":"chart"');
  const second = await h.send('/reads bm_hist');
  expect(JSON.stringify((await replyTo(second.messageId)).card)).toContain('"tag":"chart"');
  const history = await h.send('/reads bm_hist history');
  const card = (await replyTo(history.messageId)).card;
  const en = cardText(card, 'en');
  // Three queries within seconds: the first and the latest are kept (HISTORY_STEP_MS).
  expect(en).toContain('2 snapshots in the last 30 days');
  expect(en).toMatch(/\| 6 \| 10 \| 60\.0% \|[\s\S]*\| 1 \| 10 \| 10\.0% \|/);
  expect(en).not.toContain('| 4 | 10 |');
});

it('refuses a card callback with a bad signature with 401, and ignores a value that is not ours', async () => {
  const { feishuRequest, cardActionEvent } = await import('../../src/dev/demo/feishuEvents.js');
  const req = feishuRequest(
    cardActionEvent({
      token: 'x',
      operatorOpenId: 'ou',
      messageId: 'om',
      chatId: 'oc',
      value: { a: 'refresh', ids: ['bm_a'] },
    }),
    'wrong-key',
  );
  const res = await fetch(`${h.url}/webhook/card`, { method: 'POST', headers: req.headers, body: req.body });
  expect(res.status).toBe(401);
  const before = h.fake.readUserCalls.length;
  const { answer } = await h.press({
    operatorOpenId: 'ou',
    messageId: 'om',
    chatId: 'oc',
    value: { a: 'refresh', ids: ['../../etc'] },
  });
  expect(answer.toast).toMatchObject({ type: 'error' });
  expect(h.fake.readUserCalls.length).toBe(before);
});

describe('cards older than Feishu lets a card be updated (14 days)', () => {
  const DAY = 24 * 60 * 60 * 1000;

  it('every card with a button works when forwarded, and its buttons say when it was sent', async () => {
    h.fake.setBatch('bm_forwardable', { kind: 'counts', read: 1, total: 2 });
    const before = Date.now();
    const { messageId } = await h.send('/reads bm_forwardable');
    const reply = await replyTo(messageId);
    expect(reply.card).toMatchObject({ config: { enable_forward: true, enable_forward_interaction: true } });
    const { t } = buttonValue(reply.card, 'Refresh') as { t: number };
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(reply.at);
  });

  it('a Refresh within 14 days updates the card, which keeps saying when it was sent', async () => {
    h.fake.setBatch('bm_13_days', { kind: 'counts', read: 1, total: 2 });
    const { messageId } = await h.send('/reads bm_13_days');
    const reply = await replyTo(messageId);
    const sentAt = Date.now() - 13 * DAY;
    const value = { ...(buttonValue(reply.card, 'Refresh') as object), t: sentAt };
    const { answer } = await h.press({ operatorOpenId: 'ou_x', messageId: reply.messageId, chatId: 'oc_x', value });
    expect(answer.toast).toMatchObject({ i18n: { en_us: 'Refreshed.' } });
    expect(buttonValue((answer.card as { data: unknown }).data, 'Refresh')).toMatchObject({ t: sentAt });
  });

  it('a Refresh on a card sent 15 days ago says it can no longer be updated and sends a fresh card below it', async () => {
    h.fake.setBatch('bm_15_days', [
      { kind: 'counts', read: 1, total: 2 },
      { kind: 'counts', read: 2, total: 2 },
    ]);
    const { messageId } = await h.send('/reads bm_15_days');
    const reply = await replyTo(messageId);
    const value = { ...(buttonValue(reply.card, 'Refresh') as object), t: Date.now() - 15 * DAY };
    const pressedAt = Date.now();
    const { status, answer } = await h.press({
      operatorOpenId: 'ou_x',
      messageId: reply.messageId,
      chatId: 'oc_x',
      value,
    });
    expect(status).toBe(200);
    expect(answer).toEqual({
      toast: expect.objectContaining({ i18n: expect.objectContaining({ en_us: expect.stringContaining('14 days') }) }),
    });
    const fresh = await h.onlyReply(reply.messageId);
    expect(cardText(fresh.card, 'en')).toContain('**Read rate: 100%**');
    // The fresh card is a new message: its own buttons start a new 14 days.
    expect((buttonValue(fresh.card, 'Refresh') as { t: number }).t).toBeGreaterThanOrEqual(pressedAt);
    expect(h.fake.patches.filter((p) => p.messageId === reply.messageId)).toHaveLength(0);
  });

  it('a slow Refresh on a card sent 15 days ago sends the fresh card once its numbers arrive, and updates nothing', async () => {
    h.fake.setBatch('bm_15_days_slow', [
      { kind: 'counts', read: 1, total: 4 },
      { kind: 'counts', read: 3, total: 4 },
    ]);
    const { messageId } = await h.send('/reads bm_15_days_slow');
    const reply = await replyTo(messageId);
    fake.hold('bm_15_days_slow');
    const pressing = h.press({
      operatorOpenId: 'ou_y',
      messageId: reply.messageId,
      chatId: 'oc_x',
      value: { ...(buttonValue(reply.card, 'Refresh') as object), t: Date.now() - 15 * DAY },
    });
    await until(() => fake.waitingFor('bm_15_days_slow') === 1, 10_000, 'the refresh to call read_user');
    expect(clock.wakeAll()).toBeGreaterThanOrEqual(1);
    await pressing;
    fake.release('bm_15_days_slow');
    const fresh = await h.onlyReply(reply.messageId);
    expect(cardText(fresh.card, 'en')).toContain('Read rate: 75.0%');
    expect(h.fake.patches.filter((p) => p.messageId === reply.messageId)).toHaveLength(0);
  });

  it('a card too old to update whose fresh card cannot be sent either says so, and updates nothing', async () => {
    h.fake.setBatch('bm_15_days_no_reply', { kind: 'counts', read: 1, total: 2 });
    const { messageId } = await h.send('/reads bm_15_days_no_reply');
    const reply = await replyTo(messageId);
    // Not in that chat any more: 230002, which is not retried.
    h.fake.failReplies({ kind: 'error', httpStatus: 400, code: 230002, msg: 'Bot is not in the chat' });
    const { status, answer } = await h.press({
      operatorOpenId: 'ou_z',
      messageId: reply.messageId,
      chatId: 'oc_gone',
      value: { ...(buttonValue(reply.card, 'Refresh') as object), t: Date.now() - 15 * DAY },
    });
    expect(status).toBe(200);
    expect(answer).toEqual({
      toast: expect.objectContaining({
        i18n: expect.objectContaining({ en_us: expect.stringContaining('send the command again') }),
      }),
    });
    await h.bot.idle();
    expect(h.fake.repliesTo(reply.messageId)).toHaveLength(0);
    expect(h.fake.patches.filter((p) => p.messageId === reply.messageId)).toHaveLength(0);
  });
});
