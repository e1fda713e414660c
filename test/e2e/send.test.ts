/**
 * Sending a batch message through the bot (issue 30), end to end over real
 * HTTP against the fake Open API: the preview first, one batch send per
 * confirm however often it is pressed, the tracking card of the new bm- id,
 * one DELETE per recall, and nothing at all for a person not allowed or a
 * recipient that cannot be one.
 */
import { systemClock, type Clock } from '../../src/domain/clock.js';
import { watchIdFor } from '../../src/domain/ids.js';
import { DRAFT_TTL_MS, SENT_WATCH_INTERVAL_MS, SENT_WATCH_MS } from '../../src/domain/send.js';
import { buttonValue, cardText } from '../support/cards.js';
import { APP, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';

const WRITER = 'ou_writer';
/** In SENDERS too, but not the writer of the sends here. */
const COLLEAGUE = 'ou_colleague';
/** In SENDERS, for `/sent`: only the sends its test makes. */
const LISTER = 'ou_lister';
const OTHER = 'ou_other';
const en = (card: unknown) => cardText(card, 'en');
/** The system clock, which a test may move forward (a draft's 30 minutes). */
let ahead = 0;
const clock: Clock = { now: () => systemClock.now() + ahead, sleep: (ms) => systemClock.sleep(ms) };
/** The fake Open API's clock: the test's, unless a test holds it still (`withFakeClockHeld`). */
let fakeHeldAt: number | undefined;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    senders: new Set([WRITER, COLLEAGUE, LISTER]),
    clock,
    // A batch the fake sent is read by a tenth of its recipients a minute, on this clock.
    fake: { now: () => fakeHeldAt ?? clock.now() },
    retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 20, budgetMs: 200 },
    timeoutMs: 1_000,
    breaker: { failuresToOpen: 2, baseDelayMs: 50, maxDelayMs: 100 },
  });
});
afterAll(() => h.close());

/** Writes a send from `who` in a chat of its own; resolves to its preview card message. */
async function preview(text: string, who = WRITER) {
  const { messageId } = await h.send(text, { senderOpenId: who, chatId: `oc_${who}_${Date.now()}` });
  return h.onlyReply(messageId);
}

const press = (card: { messageId: string }, value: unknown, who = WRITER, chatId = 'oc_chat') =>
  h.press({ operatorOpenId: who, messageId: card.messageId, chatId, value: value });

const sendsSince = (from: number) => h.fake.batchSends.slice(from).filter((s) => s.sent);

const cardOf = (answer: Record<string, unknown>) => (answer.card as { data: unknown }).data;
const toastOf = (answer: Record<string, unknown>) =>
  (answer.toast as { i18n: { en_us: string } } | undefined)?.i18n.en_us;

/**
 * Runs `act` with the fake's clock held still, so that the read counts it
 * answers for a batch it sent (a tenth of the recipients a minute, from the
 * send) are known exactly; `later(ms)` moves the bot's clock and the fake's on
 * by `ms`. Afterwards the fake's clock goes on from the test's, never behind it.
 */
async function withFakeClockHeld(act: (later: (ms: number) => void) => Promise<void>): Promise<void> {
  fakeHeldAt = clock.now();
  try {
    await act((ms) => {
      ahead += ms;
      fakeHeldAt = (fakeHeldAt ?? clock.now()) + ms;
    });
  } finally {
    fakeHeldAt = undefined;
  }
}

const tracked = (card: { messageId: string }) =>
  until(() => buttonValue(h.fake.cardOf(card.messageId), 'Recall') !== undefined, 5_000, 'the tracking card');

it('shows the preview first: the message, whom it goes to, who sends it; nothing is sent', async () => {
  const before = h.fake.batchSends.length;
  const card = await preview('/send od-sales ou_ann\nThe office closes at 5 on Friday，周五五点下班');
  const text = en(card.card);
  expect(text).toContain('The office closes at 5 on Friday，周五五点下班');
  expect(text).toContain('od-sales');
  expect(text).toContain("<person id='ou_ann'");
  expect(text).toContain(`<person id='${WRITER}'`);
  for (const label of ['Confirm', 'Edit', 'Cancel']) expect(buttonValue(card.card, label)).toBeDefined();
  await h.bot.idle();
  expect(h.fake.batchSends.length).toBe(before);
});

it('in a group, sends to the people the message @mentions besides the bot', async () => {
  const { messageId } = await h.send('@_user_1 /send od-sales @_user_2\nFor Ann too', {
    senderOpenId: WRITER,
    chatType: 'group',
    mentions: [
      { openId: APP.botOpenId, name: 'Reads Bot' },
      { openId: 'ou_ann', name: 'Ann' },
    ],
  });
  const text = en((await h.onlyReply(messageId)).card);
  expect(text).toContain("<person id='ou_ann'");
  expect(text).not.toContain(`<person id='${APP.botOpenId}'`);
  expect(text).not.toContain('@_user');
});

it('names every recipient that cannot be one, with why; Confirm sends to the others only', async () => {
  // 201 open ids in one list: Feishu takes 200.
  const many = Array.from({ length: 201 }, (_, i) => `ou_many${i}`);
  const before = h.fake.batchSends.length;
  const card = await preview(`/send 0 oc_group od-sales ${many.join(' ')}\nHello`);
  const text = en(card.card);
  // Each under its reason, as the preview words them (sendParts.ts), what was typed on the line below.
  expect(text).toContain('⚠️ **These will not be sent to**:');
  expect(text).toContain('· Not an id or an @mention (1):\noc_group\n');
  expect(text).toContain('· The root department 0 cannot be sent to (Feishu does not take it) (1):\n0\n');
  expect(text).toContain(`· Over the 200 ids one list may hold (1):\n${many[200]}\n`);
  expect(text).toContain('**People (open id)** (200): ');
  expect(text).toContain('**Departments (with their sub-departments)** (1): `od-sales`');
  await h.bot.idle();
  expect(h.fake.batchSends.length).toBe(before);

  await press(card, buttonValue(card.card, 'Confirm'));
  await tracked(card);
  await h.bot.idle();
  expect(h.fake.batchSends.length - before).toBe(1);
  // What reached Feishu: the usable ones, and none of the others.
  expect(h.fake.batchSends[before]!.body).toEqual({
    msg_type: 'text',
    content: { text: 'Hello' },
    department_ids: ['od-sales'],
    open_ids: many.slice(0, 200),
  });
});

it('a person not in SENDERS sends nothing, and is told who can allow them', async () => {
  const before = h.fake.batchSends.length;
  const card = await preview('/send od-sales\nHello', OTHER);
  expect(en(card.card)).toContain(OTHER);
  expect(buttonValue(card.card, 'Confirm')).toBeUndefined();
  await h.bot.idle();
  expect(h.fake.batchSends.length).toBe(before);
});

it('Confirm sends exactly one batch message, however often and by whom it is pressed', async () => {
  const before = h.fake.batchSends.length;
  const card = await preview('/send od-sales ou_ann\nOne message only');
  const confirm = buttonValue(card.card, 'Confirm');
  // While the draft waits, only its writer may confirm it: others in the chat, in SENDERS or not, are told so,
  // and the preview stays as everyone sees it.
  for (const who of [OTHER, COLLEAGUE]) {
    const bystander = await press(card, confirm, who);
    expect(toastOf(bystander.answer)).toBe('Only the person who wrote this message can confirm, edit or cancel it.');
    expect(buttonValue(cardOf(bystander.answer), 'Confirm')).toEqual(confirm);
  }
  await h.bot.idle();
  expect(h.fake.batchSends.length).toBe(before);

  await withFakeClockHeld(async (later) => {
    const presses = await Promise.all(Array.from({ length: 5 }, () => press(card, confirm)));
    expect(presses.every((p) => p.status === 200)).toBe(true);
    await tracked(card);
    await h.bot.idle();
    expect(sendsSince(before)).toHaveLength(1);
    expect(h.fake.batchSends.length - before).toBe(1);
    const [sent] = sendsSince(before);
    expect(sent!.body).toMatchObject({ msg_type: 'text', content: { text: 'One message only' } });

    // The preview became the tracking card of the new bm- id, with what read_user answers for it:
    // the department's 25 people and Ann, none of whom has read it yet.
    const batchId = sent!.sent!.batchId;
    expect(batchId).toMatch(/^bm-[0-9a-f]{32}$/);
    expect(h.fake.readUserCalls.filter((c) => c.batchId === batchId && c.status === 200).length).toBeGreaterThan(0);
    const tracking = h.fake.cardOf(card.messageId);
    expect(en(tracking)).toContain(`Read 0/26 (0%) · ${batchId}`);
    expect(en(tracking)).toContain('**Read rate: 0%**');
    expect(buttonValue(tracking, 'Refresh')).toMatchObject({ a: 'refresh', ids: [batchId] });
    expect(buttonValue(tracking, 'Delivery')).toMatchObject({ a: 'delivery', id: batchId });
    expect(buttonValue(tracking, 'Recall')).toMatchObject({ a: 'recall' });
    // It watches itself: a day, every 30 minutes.
    const watched = await h.bot.watcher.get(watchIdFor(card.messageId));
    expect(watched).toMatchObject({ batchId, intervalMs: SENT_WATCH_INTERVAL_MS });
    expect(watched!.until - watched!.startedAt).toBe(SENT_WATCH_MS);

    // Five minutes on, 15 of the 26 have read it (3 a minute): Refresh shows the fake's new counts.
    later(5 * 60_000);
    const calls = h.fake.readUserCalls.length;
    const refreshed = en(cardOf((await press(card, buttonValue(tracking, 'Refresh'))).answer));
    expect(h.fake.readUserCalls.slice(calls).map((c) => c.batchId)).toEqual([batchId]);
    expect(refreshed).toContain(`Read 15/26 (57.7%) · ${batchId}`);
    expect(refreshed).toContain('**Read rate: 57.7%**');
    // Delivery: the funnel get_progress gives for that id.
    const progress = h.fake.progressCalls.length;
    const delivery = en(cardOf((await press(card, buttonValue(tracking, 'Delivery'))).answer));
    expect(h.fake.progressCalls.slice(progress).map((c) => c.batchId)).toEqual([batchId]);
    expect(delivery).toContain('**Delivered**: 26');
    expect(delivery).toContain('**Read**: 15');
  });
  await h.bot.idle();
  expect(h.fake.batchSends.length - before).toBe(1);
});

it('a draft older than 30 minutes is refused with a fresh preview; confirming that one sends it', async () => {
  const before = h.fake.batchSends.length;
  const card = await preview('/send od-sales\nLate');
  ahead += DRAFT_TTL_MS + 1_000;
  const refused = await press(card, buttonValue(card.card, 'Confirm'));
  await h.bot.idle();
  expect(h.fake.batchSends.length).toBe(before);
  const fresh = (refused.answer.card as { data: unknown }).data;
  expect(buttonValue(fresh, 'Confirm')).toBeDefined();
  await press(card, buttonValue(fresh, 'Confirm'));
  await until(() => sendsSince(before).length === 1, 5_000, 'the send after the fresh preview');
});

it('Cancel sends nothing, and a Confirm pressed after it sends nothing either', async () => {
  const before = h.fake.batchSends.length;
  const card = await preview('/send od-sales\nNever mind');
  await press(card, buttonValue(card.card, 'Cancel'));
  await press(card, buttonValue(card.card, 'Confirm'));
  await h.bot.idle();
  expect(h.fake.batchSends.length).toBe(before);
});

it.each([
  [11203, 'im:message:send_multi_users'],
  [11204, 'im:message:send_multi_depts'],
  [11247, '500,000'],
])('explains batch send error %d on the card, and sends nothing more', async (code, hint) => {
  const card = await preview('/send od-sales ou_ann\nRefused');
  h.fake.scriptBatchSends({ kind: 'error', httpStatus: 200, code, msg: `error ${code}` });
  const before = h.fake.batchSends.length;
  await press(card, buttonValue(card.card, 'Confirm'));
  await until(() => en(h.fake.cardOf(card.messageId)).includes(String(code)), 5_000, 'the failed card');
  expect(en(h.fake.cardOf(card.messageId))).toContain(hint);
  await h.bot.idle();
  expect(h.fake.batchSends.length - before).toBe(1);
});

it('names the recipients Feishu refused on the tracking card, under its own heading', async () => {
  const before = h.fake.batchSends.length;
  const card = await preview('/send od-sales ou_unknown1\nSome refused');
  await press(card, buttonValue(card.card, 'Confirm'));
  await tracked(card);
  await h.bot.idle();
  expect(h.fake.batchSends.length - before).toBe(1);
  expect(h.fake.batchSends[before]!.sent!.invalid.openIds).toEqual(['ou_unknown1']);
  // ou_unknown1 is in the To list too: the refused block is what tells it was not reached.
  const text = en(h.fake.cardOf(card.messageId));
  const heading =
    '⚠️ **Feishu refused these ids**: They are not valid, or outside the bot’s availability; it sent to the rest.\n';
  expect(text).toContain(heading);
  const [refused] = text.slice(text.indexOf(heading) + heading.length).split('\n');
  expect(refused).toBe('**People (open id)** (1): `ou_unknown1`');
});

it('a send that meets an outage waits, and is sent once when Feishu is back', async () => {
  const card = await preview('/send od-sales\nDuring an outage');
  const before = h.fake.batchSends.length;
  const refusedBefore = h.fake.outageRefusals;
  h.fake.outage(true);
  await press(card, buttonValue(card.card, 'Confirm'));
  await until(() => h.fake.outageRefusals > refusedBefore, 5_000, 'a try during the outage');
  // The card cannot say so during the outage: the breaker opening tells the send met it, and waits.
  await until(() => h.bot.readiness().checks.feishu === false, 5_000, 'the breaker to open');
  expect(sendsSince(before)).toHaveLength(0);
  h.fake.outage(false);
  await until(() => sendsSince(before).length === 1, 10_000, 'the send once Feishu is back');
  await until(() => buttonValue(h.fake.cardOf(card.messageId), 'Recall') !== undefined, 5_000, 'the tracking card');
  expect(sendsSince(before)).toHaveLength(1);
});

it('a send Feishu did not answer in time is not sent again by itself; Send again, by its writer, sends it', async () => {
  const card = await preview('/send od-sales\nDid it go?');
  const before = h.fake.batchSends.length;
  h.fake.scriptBatchSends({ kind: 'delay', delayMs: 1_500 });
  await press(card, buttonValue(card.card, 'Confirm'));
  await until(
    () => buttonValue(h.fake.cardOf(card.messageId), 'Send again') !== undefined,
    5_000,
    'the unconfirmed card',
  );
  expect(en(h.fake.cardOf(card.messageId))).toContain('Feishu did not answer whether it took this message');
  await until(() => sendsSince(before).length === 1, 5_000, 'the late batch send');
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(h.fake.batchSends.length - before).toBe(1);

  const again = buttonValue(h.fake.cardOf(card.messageId), 'Send again');
  const notYours = await press(card, again, OTHER);
  expect(JSON.stringify(notYours.answer)).not.toContain('Sending');
  await h.bot.idle();
  expect(h.fake.batchSends.length - before).toBe(1);
  await press(card, again);
  await until(() => buttonValue(h.fake.cardOf(card.messageId), 'Recall') !== undefined, 5_000, 'the tracking card');
  expect(sendsSince(before)).toHaveLength(2);
});

it('Recall asks first, then calls DELETE once however often it is pressed', async () => {
  const card = await preview('/send od-sales\nTo be recalled');
  await press(card, buttonValue(card.card, 'Confirm'));
  await until(() => buttonValue(h.fake.cardOf(card.messageId), 'Recall') !== undefined, 5_000, 'the tracking card');
  const tracking = h.fake.cardOf(card.messageId);
  const denied = await press(card, buttonValue(tracking, 'Recall'), OTHER, 'oc_elsewhere');
  expect(JSON.stringify(denied.answer)).not.toContain('recall_confirm');
  const asked = await press(card, buttonValue(tracking, 'Recall'));
  const question = (asked.answer.card as { data: unknown }).data;
  const recallsBefore = h.fake.recalls.length;
  const yes = buttonValue(question, 'Recall');
  const answers = await Promise.all([press(card, yes), press(card, yes), press(card, yes)]);
  await h.bot.idle();
  expect(h.fake.recalls.length - recallsBefore).toBe(1);
  expect(h.fake.recalls.at(-1)).toMatchObject({ status: 200 });
  // The card now says so, with what get_progress tells of it, and offers no second Recall.
  const recalled = answers
    .map((a) => en((a.answer.card as { data: unknown }).data))
    .find((t) => t.includes('Recalled by'));
  expect(recalled).toContain('Feishu has taken it back from 25 people.');
  expect(recalled).not.toMatch(/\bRecall\b\n/);
});

it('Recall past the tenant’s recall window explains 230009, and the message stays sent', async () => {
  const card = await preview('/send od-sales\nToo late to recall');
  await press(card, buttonValue(card.card, 'Confirm'));
  await until(() => buttonValue(h.fake.cardOf(card.messageId), 'Recall') !== undefined, 5_000, 'the tracking card');
  const window = h.fake.recallWindowMs;
  h.fake.recallWindowMs = -1;
  try {
    const asked = await press(card, buttonValue(h.fake.cardOf(card.messageId), 'Recall'));
    const refused = await press(card, buttonValue((asked.answer.card as { data: unknown }).data, 'Recall'));
    expect(en((refused.answer.card as { data: unknown }).data)).toContain('230009');
  } finally {
    h.fake.recallWindowMs = window;
  }
  const again = await press(card, buttonValue(h.fake.cardOf(card.messageId), 'Recall'));
  expect(JSON.stringify(again.answer)).toContain('recall_confirm');
});

it('/sent lists the person’s confirmed sends with their read rates and a button to open each; no draft or cancelled one', async () => {
  const written = async (text: string) => preview(`/send od-sales\n${text}`, LISTER);
  const draft = await written('Still a draft');
  const cancelled = await written('Called off');
  await press(cancelled, buttonValue(cancelled.card, 'Cancel'), LISTER);
  const before = h.fake.batchSends.length;
  const sent = await written('Read by some');
  await withFakeClockHeld(async (later) => {
    await press(sent, buttonValue(sent.card, 'Confirm'), LISTER);
    await tracked(sent);
    await h.bot.idle();
    // Four minutes on, 12 of the department's 25 people have read it (3 a minute).
    later(4 * 60_000);
    const { messageId } = await h.send('/sent', { senderOpenId: LISTER });
    const list = await h.onlyReply(messageId);
    const text = en(list.card);
    const batch = sendsSince(before)[0]!.sent!;
    expect(text).toContain('Your latest batch messages (1)');
    expect(text).toContain(`\`${batch.batchId}\``);
    expect(text).toContain('1 department · Read 12/25 (48.0%)');
    expect(text).toContain('Read by some');
    for (const never of ['Still a draft', 'Called off', 'Draft, not sent', 'Cancelled'])
      expect(text).not.toContain(never);
    expect(JSON.stringify(list.card).match(/"a":"open_send"/g)).toHaveLength(1);
    // Open shows its tracking card.
    const open = buttonValue(list.card, 'Open');
    expect(open).toMatchObject({ a: 'open_send' });
    const opened = await press(list, open, LISTER);
    expect(en(cardOf(opened.answer))).toContain(`Read 12/25 (48.0%) · ${batch.batchId}`);
  });
  await h.bot.idle();
  expect(h.fake.batchSends.length - before).toBe(1);
  // Left out of the list, not changed by it: the draft's card is still its preview.
  expect(buttonValue(h.fake.cardOf(draft.messageId), 'Confirm')).toBeDefined();
});
