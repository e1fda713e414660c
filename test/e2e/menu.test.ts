/**
 * The menu, the greeting, the query form and the delivery funnel, end to end:
 * events built as Feishu sends them (signed, encrypted) over real HTTP to the
 * real bot, which talks to the fake Open API through the SDK.
 */
import { chatEnteredEvent, feishuRequest, menuEvent } from '../../src/dev/demo/feishuEvents.js';
import { QUERY_FORM } from '../../src/domain/rules.js';
import { buttonValue, cardText } from '../support/cards.js';
import { KEY, TOKEN, type Harness } from '../support/harness.js';
import { heldHarness } from '../support/heldHarness.js';
import { until } from '../support/until.js';

const { clock, fake, start, close } = heldHarness();
let h: Harness;
beforeAll(async () => (h = await start()));
afterAll(() => close(h));

async function deliver(payload: unknown): Promise<number> {
  const req = feishuRequest(payload, KEY);
  const res = await h.post(req.body, req.headers);
  await res.arrayBuffer();
  return res.status;
}

/** The one card sent to this person after the bot settled. */
async function onlySentTo(openId: string) {
  await h.bot.idle();
  const sent = fake.sentTo(openId);
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

/** Submits the query form on `messageId` with `typed` in its input, as Feishu calls back with the submit button's value. */
function submit(messageId: string, typed: string, operatorOpenId = 'ou_former') {
  return h.press({
    operatorOpenId,
    messageId,
    chatId: 'oc_p2p_former',
    value: { a: 'query_form' },
    form: { name: QUERY_FORM.submit, values: { [QUERY_FORM.input]: typed } },
  });
}

describe('the menu', () => {
  it('"reads" sends the presser, one-to-one, the query form; a redelivery sends nothing more', async () => {
    const event = menuEvent({ token: TOKEN, eventKey: 'reads', operatorOpenId: 'ou_menu_reads' });
    expect(await deliver(event)).toBe(200);
    const sent = await onlySentTo('ou_menu_reads');
    expect(sent.receiveIdType).toBe('open_id');
    expect(sent.uuid).toMatch(/^send-[0-9a-f]{40}$/);
    expect(JSON.stringify(sent.card)).toContain('"tag":"form"');
    expect(buttonValue(sent.card, 'Query')).toEqual({ a: 'query_form', t: expect.any(Number) }); // t: when it was sent
    expect(cardText(sent.card, 'en')).toContain('Query read counts');

    expect(await deliver(event)).toBe(200); // Feishu's redelivery: same event_id
    await h.bot.idle();
    expect(fake.sentTo('ou_menu_reads')).toHaveLength(1);
  });

  it('"help" sends the help card with the form; another key is acknowledged and ignored', async () => {
    expect(await deliver(menuEvent({ token: TOKEN, eventKey: 'help', operatorOpenId: 'ou_menu_help' }))).toBe(200);
    const sent = await onlySentTo('ou_menu_help');
    expect(cardText(sent.card, 'en')).toContain('/reads bm_xxx watch 2h every 5m');
    expect(JSON.stringify(sent.card)).toContain('"form_action_type":"submit"');

    expect(await deliver(menuEvent({ token: TOKEN, eventKey: 'constructor', operatorOpenId: 'ou_menu_x' }))).toBe(200);
    await h.bot.idle();
    expect(fake.sentTo('ou_menu_x')).toHaveLength(0);
  });
});

describe('the query form', () => {
  it('answers a submit with the counts in the callback, replacing the form', async () => {
    fake.setBatch('bm_form_a', { kind: 'counts', read: 7, total: 20 });
    fake.setBatch('bm_form_b', { kind: 'counts', read: 1, total: 4 });
    await deliver(menuEvent({ token: TOKEN, eventKey: 'reads', operatorOpenId: 'ou_former' }));
    const form = await onlySentTo('ou_former');

    const one = await submit(form.messageId, '「bm_form_a」');
    expect(one.status).toBe(200);
    expect(one.answer.toast).toMatchObject({ type: 'success', i18n: { en_us: 'Done.' } });
    const single = (one.answer.card as { data: unknown }).data;
    expect(cardText(single, 'en')).toContain('Read rate: 35.0%');
    expect(buttonValue(single, 'Delivery')).toEqual({ a: 'delivery', id: 'bm_form_a' });

    const two = await submit(form.messageId, 'bm_form_a，bm_form_b\nbm_form_a');
    const rows = cardText((two.answer.card as { data: unknown }).data, 'en');
    expect(rows).toContain('bm_form_a');
    expect(rows).toContain('bm_form_b');
    expect(rows).toMatch(/8\D+24/); // the totals: 8 of 24 read
  });

  it('explains bad ids without calling Feishu, keeping the form to try again', async () => {
    const calls = fake.readUserCalls.length;
    const { answer } = await submit('om_form_card', 'bm_ok, not-an-id');
    expect(answer.toast).toMatchObject({ type: 'warning', i18n: { en_us: 'Please check the ids.' } });
    const card = (answer.card as { data: unknown }).data;
    expect(cardText(card, 'en')).toContain('Invalid batch message id');
    expect(cardText(card, 'en')).toContain('not-an-id');
    expect(JSON.stringify(card)).toContain('"tag":"form"');
    const eleven = Array.from({ length: 11 }, (_, i) => `bm_many_${i}`).join(' ');
    expect(cardText(((await submit('om_form_card', eleven)).answer.card as { data: unknown }).data, 'en')).toContain(
      'Too many ids',
    );
    expect((await submit('om_form_card', ' , ')).answer.toast).toMatchObject({
      i18n: { en_us: 'Please enter at least one batch message id.' },
    });
    expect(fake.readUserCalls.length).toBe(calls);
  });

  it('says "querying…" when the counts take longer than the callback allows, then updates the form card', async () => {
    fake.setBatch('bm_form_slow', { kind: 'counts', read: 3, total: 9 });
    await deliver(menuEvent({ token: TOKEN, eventKey: 'reads', operatorOpenId: 'ou_slow_former' }));
    const form = await onlySentTo('ou_slow_former');
    fake.hold('bm_form_slow');
    const submitting = submit(form.messageId, 'bm_form_slow', 'ou_slow_former');
    await until(() => fake.waitingFor('bm_form_slow') === 1, 10_000, 'the submit to call read_user');
    expect(clock.wakeAll()).toBeGreaterThanOrEqual(1);
    const { answer } = await submitting;
    expect(answer).toEqual({
      toast: expect.objectContaining({ i18n: expect.objectContaining({ en_us: 'Querying…' }) }),
    });
    fake.release('bm_form_slow');
    await h.bot.idle();
    const patched = fake.patches.filter((p) => p.messageId === form.messageId);
    expect(patched).toHaveLength(1);
    expect(cardText(patched[0]!.card, 'en')).toContain('Read rate: 33.3%');
  });

  it('counts submits against the person’s commands a minute', async () => {
    fake.setBatch('bm_form_rate', { kind: 'counts', read: 1, total: 2 });
    const toasts: string[] = [];
    for (let i = 0; i < 11; i++) {
      const { answer } = await submit('om_rate_card', 'bm_form_rate', 'ou_rate_former');
      toasts.push((answer.toast as { i18n: { en_us: string } }).i18n.en_us);
    }
    expect(toasts.filter((t) => t === 'Done.')).toHaveLength(10);
    expect(toasts.at(-1)).toBe('You have sent too many queries; try again in a minute.');
  });
});

describe('the greeting', () => {
  it('greets a person who enters the one-to-one chat once, with the help card and the form', async () => {
    const enter = () => chatEnteredEvent({ token: TOKEN, operatorOpenId: 'ou_newcomer', chatId: 'oc_p2p_newcomer' });
    expect(await deliver(enter())).toBe(200);
    const greeting = await onlySentTo('ou_newcomer');
    expect(cardText(greeting.card, 'en')).toContain('I tell you how many people read a batch message.');
    expect(JSON.stringify(greeting.card)).toContain('"tag":"form"');
    expect(await deliver(enter())).toBe(200); // entering again (a new event) the same day
    await h.bot.idle();
    expect(fake.sentTo('ou_newcomer')).toHaveLength(1);
  });
});

describe('the delivery funnel', () => {
  it('/reads bm_x delivery shows valid → delivered → read, and 送达 a recalled message', async () => {
    fake.setBatch('bm_funnel', { kind: 'counts', read: 30, total: 100, hidden: 4 });
    fake.setBatch('bm_recalled', { kind: 'counts', read: 18, total: 60, recalled: 60 });
    const { messageId } = await h.send('/reads bm_funnel delivery');
    const en = cardText((await h.onlyReply(messageId)).card, 'en');
    expect(en).toContain('**Valid recipients**: 104');
    expect(en).toContain('**Delivered**: 100 (96.2% of valid recipients)');
    expect(en).toContain('**Read**: 30 (30.0% of delivered)');
    expect(en).toContain('include people the bot cannot see');

    const recalled = await h.send('/reads bm_recalled 送达');
    const zh = cardText((await h.onlyReply(recalled.messageId)).card, 'zh');
    expect(zh).toContain('已撤回 60 条');
    expect(fake.progressCalls.map((c) => c.batchId)).toEqual(expect.arrayContaining(['bm_funnel', 'bm_recalled']));
  });

  it('explains an error through the catalogue: 230006 with the console fix', async () => {
    fake.setBatch('bm_no_bot', { kind: 'error', httpStatus: 400, code: 230006, msg: 'Bot ability is not activated.' });
    const { messageId } = await h.send('/reads bm_no_bot delivery');
    const en = cardText((await h.onlyReply(messageId)).card, 'en');
    expect(en).toContain('230006');
    expect(en).toContain('Bot capability not enabled');
    expect(en).toContain('Features → Add features');
  });

  it('the Delivery button on a single-id card answers with the funnel, recorded as its own series', async () => {
    fake.setBatch('bm_button', { kind: 'counts', read: 5, total: 10 });
    const { messageId } = await h.send('/reads bm_button', { chatId: 'oc_team' });
    const reply = await h.onlyReply(messageId);
    const value = buttonValue(reply.card, 'Delivery');
    expect(value).toEqual({ a: 'delivery', id: 'bm_button', t: expect.any(Number) });
    const press = () => h.press({ operatorOpenId: 'ou_ann', messageId: reply.messageId, chatId: 'oc_team', value });
    const first = (await press()).answer;
    expect(first.toast).toMatchObject({ type: 'success' });
    const card = (first.card as { data: unknown }).data;
    expect(cardText(card, 'en')).toContain('**Delivered**: 10');
    expect(cardText(card, 'en')).toContain("refreshed by <person id='ou_ann'");
    // The funnel before is read back from its series (the harness reuses no recent funnel: every press calls).
    fake.setBatch('bm_button', { kind: 'counts', read: 8, total: 10 });
    const second = cardText(((await press()).answer.card as { data: unknown }).data, 'en');
    expect(second).toMatch(
      /Since <local_datetime millisecond='\d+' format_type='date_short'><\/local_datetime> <local_datetime millisecond='\d+' format_type='time'><\/local_datetime>: delivered \*\*±0\*\*, read \*\*\+3\*\*/,
    );
  });
});
