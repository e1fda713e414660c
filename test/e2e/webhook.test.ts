/** End to end over real HTTP: signed, encrypted events in; what the fake Feishu received out. */
import { feishuRequest, messageEvent } from '../../src/dev/demo/feishuEvents.js';
import { computeSignature } from '../../src/inbound/http/signature.js';
import { cardText } from '../support/cards.js';
import { GatedOpenApi } from '../support/gatedOpenApi.js';
import { until } from '../support/until.js';
import { peakInWindow } from '../support/windows.js';
import { APP, KEY, TOKEN, startHarness, type Harness } from '../support/harness.js';

const HANG = { kind: 'counts', read: 1, total: 2, delayMs: 100_000 } as const;
const BAD_GATEWAY = { kind: 'http_error', httpStatus: 502 } as const;

const ERRORS = {
  bm_err_230001: { code: 230001, msg: 'invalid param' },
  bm_err_230012: { code: 230012, msg: 'Bot is NOT the sender of the message' },
  bm_err_230027: { code: 230027, msg: 'Lack of necessary permissions' },
  bm_err_230030: { code: 230030, msg: 'record not found' },
};

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    timeoutMs: 1000,
    fake: {
      batches: {
        bm_partly: { kind: 'counts', read: 37, total: 120 },
        // 100 times the bot's 1 s timeout: answered long after the bot gave up; the fourth call is answered.
        bm_hangs: [HANG, HANG, HANG, { kind: 'counts', read: 1, total: 2 }],
        bm_bad_gateway: [BAD_GATEWAY, BAD_GATEWAY, BAD_GATEWAY, { kind: 'counts', read: 2, total: 2 }],
        ...Object.fromEntries(
          Object.entries(ERRORS).map(([id, e]) => [id, { kind: 'error' as const, httpStatus: 400, ...e }]),
        ),
      },
    },
  });
});
afterAll(() => h.close());

/** Once the bot has done all it took on: the one reply to `messageId`. */
const replyTo = (messageId: string) => h.onlyReply(messageId);

/** Once the bot has done all it took on (every acknowledged event is in its queues by then). */
const afterAWhile = () => h.bot.idle();

it('answers the url_verification challenge', async () => {
  const req = feishuRequest({ type: 'url_verification', challenge: 'ch-42', token: TOKEN }, KEY);
  const res = await h.post(req.body, { 'content-type': 'application/json' });
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ challenge: 'ch-42' });
});

it('is healthy once it knows who it is', async () => {
  const res = await fetch(`${h.url}/healthz`);
  expect(res.status).toBe(200);
});

it('replies in a one-to-one chat with the counts, rate and snapshot time', async () => {
  const callsBefore = h.fake.readUserCalls.length;
  const { status, messageId } = await h.send('/reads bm_partly');
  expect(status).toBe(200);
  const reply = await replyTo(messageId);
  expect(reply.msgType).toBe('interactive');
  expect(reply.uuid).toMatch(/^reads-[0-9a-f]{40}$/);
  const text = cardText(reply.card);
  expect(text).toContain('**37**');
  expect(text).toContain('**120**');
  expect(text).toContain('**83**');
  expect(text).toContain('30.8%');
  expect(text).toMatch(/<local_datetime millisecond='\d+' format_type='time_sec'><\/local_datetime>/); // each reader's own zone
  expect(h.fake.readUserCalls.slice(callsBefore).map((c) => c.batchId)).toEqual(['bm_partly']);
});

describe('the acknowledgement', () => {
  // Its own bot, pointed at a gate that holds bm_slow's calls until the test lets them through.
  const gated = new GatedOpenApi({ ...APP, batches: { bm_slow: { kind: 'counts', read: 1, total: 2 } } });
  let g: Harness;
  beforeAll(async () => {
    gated.hold('bm_slow');
    await gated.listen();
    g = await startHarness({ existingFake: gated });
  });
  afterAll(async () => {
    await g.close();
    await gated.close();
  });

  it('comes before calling Feishu is finished', async () => {
    // Feishu does not answer until the ack is in: an ack that waited for Feishu would never come.
    const { status, messageId } = await Promise.race([
      g.send('/reads bm_slow'),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('the ack waited for Feishu')), 10_000).unref(),
      ),
    ]);
    expect(status).toBe(200);
    expect(gated.repliesTo(messageId)).toHaveLength(0);
    gated.release('bm_slow');
    expect(cardText((await g.onlyReply(messageId)).card)).toContain('50.0%');
  });
});

it('in a group, answers only when the bot is @mentioned', async () => {
  const callsBefore = h.fake.readUserCalls.length;
  const ignored = await h.send('/reads bm_partly', { chatType: 'group', chatId: 'oc_group' });
  const otherMention = await h.send('@_user_1 /reads bm_partly', {
    chatType: 'group',
    chatId: 'oc_group',
    mentions: [{ openId: 'ou_someone_else', name: 'Ann' }],
  });
  const mentioned = await h.send('@_user_1 /reads bm_partly', {
    chatType: 'group',
    chatId: 'oc_group',
    mentions: [{ openId: APP.botOpenId, name: 'Reads Bot' }],
  });
  expect([ignored.status, otherMention.status, mentioned.status]).toEqual([200, 200, 200]);
  await replyTo(mentioned.messageId);
  await afterAWhile();
  expect(h.fake.repliesTo(ignored.messageId)).toHaveLength(0);
  expect(h.fake.repliesTo(otherMention.messageId)).toHaveLength(0);
  expect(h.fake.readUserCalls.length - callsBefore).toBe(1);
});

it.each(Object.entries(ERRORS))('explains %s with its code, meaning, next step and log_id', async (batchId, error) => {
  const { messageId } = await h.send(`/reads ${batchId}`);
  const reply = await replyTo(messageId);
  const text = cardText(reply.card);
  expect(text).toContain(`错误码: ${error.code}`);
  expect(text).toContain(`Error code: ${error.code}`);
  expect(text).toContain('怎么办');
  expect(text).toContain('What to do');
  expect(text).toMatch(/log_id: fake[0-9A-F]{16}/);
});

it('a Feishu 5xx or a timeout ends no command: no error card; once Feishu answers, the counts, marked late', async () => {
  const gateway = await h.send('/reads bm_bad_gateway');
  const hang = await h.send('/reads bm_hangs');
  await until(
    () => h.fake.repliesTo(gateway.messageId).length + h.fake.repliesTo(hang.messageId).length === 2,
    20_000,
    'both to be answered',
  );
  const answers = [gateway, hang].map(({ messageId }) => cardText(h.fake.repliesTo(messageId)[0]!.card, 'en'));
  expect(answers[0]).toContain('Read rate: 100%');
  expect(answers[1]).toContain('Read rate: 50.0%');
  for (const text of answers) expect(text).toContain('Feishu was unavailable from');
}, 30_000);

it('answers a malformed id without calling Feishu', async () => {
  const callsBefore = h.fake.readUserCalls.length;
  const { messageId } = await h.send('/reads bm_not#valid!');
  const { messageId: second } = await h.send('/reads 12345');
  expect(cardText((await replyTo(messageId)).card)).toContain('Invalid batch message id');
  expect(cardText((await replyTo(second)).card)).toContain('12345');
  expect(h.fake.readUserCalls.length).toBe(callsBefore);
});

it('answers a 150 KB message with the too-long card, and stays responsive meanwhile', async () => {
  const callsBefore = h.fake.readUserCalls.length;
  const { status, messageId } = await h.send(`/reads ${'.'.repeat(150_000)}x`);
  expect(status).toBe(200);
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  expect(cardText((await replyTo(messageId)).card)).toContain('A command is at most 2000 characters');
  expect(h.fake.readUserCalls.length).toBe(callsBefore);
});

it.each(['/help', '/reads', 'what can you do?'])('answers %j with the help card', async (text) => {
  const { messageId } = await h.send(text);
  expect(cardText((await replyTo(messageId)).card)).toContain('/reads bm_');
});

it('answers a non-text message with the help card', async () => {
  const { messageId } = await h.send('', { messageType: 'image', content: '{"image_key":"img_1"}' });
  expect(cardText((await replyTo(messageId)).card)).toContain('How to use');
});

it('refuses a bad signature with 401 and does nothing', async () => {
  const before = { calls: h.fake.readUserCalls.length, replies: h.fake.replies.length };
  const req = feishuRequest(messageEvent({ token: TOKEN, text: '/reads bm_partly' }), KEY);
  const res = await h.post(req.body, { ...req.headers, 'x-lark-signature': 'f'.repeat(64) });
  expect(res.status).toBe(401);
  const forged = feishuRequest(messageEvent({ token: TOKEN, text: '/reads bm_partly' }), 'attacker-key');
  expect((await h.post(forged.body, forged.headers)).status).toBe(401);
  await afterAWhile();
  expect({ calls: h.fake.readUserCalls.length, replies: h.fake.replies.length }).toEqual(before);
});

it('refuses a wrong verification token with 401 and does nothing', async () => {
  const before = h.fake.replies.length;
  const req = feishuRequest(messageEvent({ token: 'not-the-token', text: '/reads bm_partly' }), KEY);
  expect((await h.post(req.body, req.headers)).status).toBe(401);
  await afterAWhile();
  expect(h.fake.replies.length).toBe(before);
});

it('refuses bodies it cannot read with 400, wrong types with 415, too large with 413, unknown paths with 404', async () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  expect((await h.post('{not json', json)).status).toBe(400);
  const garbage = '{"encrypt":"bm90IHJlYWxseSBlbmNyeXB0ZWQ="}';
  const ts = String(Math.floor(Date.now() / 1000));
  const signed = {
    ...json,
    'x-lark-request-timestamp': ts,
    'x-lark-request-nonce': 'n',
    'x-lark-signature': computeSignature(ts, 'n', KEY, Buffer.from(garbage)),
  };
  expect((await h.post(garbage, signed)).status).toBe(400);
  expect((await h.post('{}', { 'content-type': 'text/plain' })).status).toBe(415);
  expect((await h.post('x'.repeat(1024 * 1024 + 10), json)).status).toBe(413);
  expect((await fetch(`${h.url}/nope`)).status).toBe(404);
});

it('answers a redelivered event once (same event_id, or same message_id under a new event_id)', async () => {
  const callsBefore = h.fake.readUserCalls.length;
  const event = messageEvent({ token: TOKEN, text: '/reads bm_partly', eventId: 'ev-dup-1', messageId: 'om_dup_1' });
  for (let i = 0; i < 3; i++) {
    const req = feishuRequest(event, KEY); // re-encrypted and re-signed each time, as Feishu does
    expect((await h.post(req.body, req.headers)).status).toBe(200);
  }
  const again = feishuRequest({ ...event, header: { ...event.header, event_id: 'ev-dup-2' } }, KEY);
  expect((await h.post(again.body, again.headers)).status).toBe(200);
  await replyTo('om_dup_1');
  // The fake keeps one reply per uuid, as Feishu does: the calls show whether the bot ran it more than once.
  expect(h.fake.readUserCalls.length - callsBefore).toBe(1);
});

it('acknowledges other event types and ignores them', async () => {
  const before = h.fake.replies.length;
  const event = {
    schema: '2.0',
    header: { event_id: 'ev-other', event_type: 'im.chat.member.bot.added_v1', token: TOKEN },
    event: {},
  };
  const req = feishuRequest(event, KEY);
  expect((await h.post(req.body, req.headers)).status).toBe(200);
  await afterAWhile();
  expect(h.fake.replies.length).toBe(before);
});

describe('a burst of commands', () => {
  // A bot of its own, with the usual timeout: the file's 1 s one is for the hangs, and on a busy machine
  // a moment of the burst could outlast it, and the retried call would add to the count.
  let b: Harness;
  beforeAll(async () => {
    b = await startHarness();
  });
  afterAll(() => b.close());

  it('answers every one exactly once without exceeding any sliding limit', async () => {
    for (let i = 0; i < 300; i++) b.fake.setBatch(`bm_burst_${i}`, { kind: 'counts', read: 1, total: 1 });
    const count = 300;
    const sent = await Promise.all(
      Array.from({ length: count }, (_, i) => b.send(`/reads bm_burst_${i}`, { chatId: `oc_burst_${i % 40}` })),
    );
    expect(sent.every((s) => s.status === 200)).toBe(true);
    for (const s of sent) await b.onlyReply(s.messageId);
    await b.bot.idle();

    const calls = b.fake.readUserCalls.map((c) => c.at);
    expect(calls).toHaveLength(count);
    expect(peakInWindow(calls, 1000)).toBeLessThanOrEqual(50);
    expect(
      peakInWindow(
        b.fake.replies.map((r) => r.at),
        1000,
      ),
    ).toBeLessThanOrEqual(50);
    expect(b.fake.violations).toEqual([]);
    for (const s of sent) expect(b.fake.repliesTo(s.messageId)).toHaveLength(1);
  }, 90_000);
});
