/**
 * The bot menu's `send` item, end to end: a menu event built as Feishu sends
 * it (signed, encrypted) over real HTTP. Someone in SENDERS gets the form to
 * write a batch message, one-to-one; anyone else is told they may not send
 * and who can allow them, and nothing is sent.
 */
import { feishuRequest, menuEvent } from '../../src/dev/demo/feishuEvents.js';
import { buttonValue, cardText } from '../support/cards.js';
import { KEY, startHarness, TOKEN, type Harness } from '../support/harness.js';

const WRITER = 'ou_menu_writer';
const en = (card: unknown) => cardText(card, 'en');

async function pressSend(h: Harness, operatorOpenId: string): Promise<void> {
  const req = feishuRequest(menuEvent({ token: TOKEN, eventKey: 'send', operatorOpenId }), KEY);
  const res = await h.post(req.body, req.headers);
  await res.arrayBuffer();
  expect(res.status).toBe(200);
}

/** The one card sent to this person once the bot settled. */
async function onlySentTo(h: Harness, openId: string): Promise<unknown> {
  await h.bot.idle();
  const sent = h.fake.sentTo(openId);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.receiveIdType).toBe('open_id');
  return sent[0]!.card;
}

describe('with SENDERS set', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness({ senders: new Set([WRITER]) })));
  afterAll(() => h.close());

  it('someone not in SENDERS is told they may not send, and who can allow them; no form, nothing sent', async () => {
    await pressSend(h, 'ou_menu_outsider');
    const card = await onlySentTo(h, 'ou_menu_outsider');
    const text = en(card);
    expect(text).toContain('Cannot send batch messages');
    expect(text).toContain('You are not among the people who may send batch messages with this bot (SENDERS)');
    expect(text).toContain('`ou_menu_outsider`');
    expect(buttonValue(card, 'Preview')).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('"tag":"form"');
    expect(h.fake.batchSends).toHaveLength(0);
  });

  it('a sender gets the form to write one (the contrast: the same press, allowed)', async () => {
    await pressSend(h, WRITER);
    const card = await onlySentTo(h, WRITER);
    expect(en(card)).toContain('Write a batch message');
    expect(buttonValue(card, 'Preview')).toMatchObject({ a: 'send_preview' });
    expect(h.fake.batchSends).toHaveLength(0);
  });
});

describe('without SENDERS', () => {
  let h: Harness;
  beforeAll(async () => (h = await startHarness()));
  afterAll(() => h.close());

  it('nobody may send: the menu says SENDERS is not set', async () => {
    await pressSend(h, WRITER);
    const card = await onlySentTo(h, WRITER);
    expect(en(card)).toContain('Nobody may send batch messages with this bot: SENDERS is not set.');
    expect(buttonValue(card, 'Preview')).toBeUndefined();
    expect(h.fake.batchSends).toHaveLength(0);
  });
});
