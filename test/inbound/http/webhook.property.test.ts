/** Both front doors against random requests: never a crash, never a Feishu call, always a 4xx. */
import fc from 'fast-check';
import { feishuRequest, messageEvent } from '../../../src/dev/demo/feishuEvents.js';
import { APP, KEY, TOKEN, startHarness, type Harness } from '../../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ fake: { fallback: () => ({ kind: 'counts', read: 1, total: 1 }) } });
});
afterAll(() => h.close());

const headerValue = fc.oneof(
  fc.constant(undefined),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'.split('')), minLength: 64, maxLength: 64 }),
  fc.nat().map(String),
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
);
const body = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.json({ maxDepth: 3 }),
  fc.base64String({ maxLength: 400 }).map((b) => JSON.stringify({ encrypt: b })),
  fc
    .record({ type: fc.constant('url_verification'), challenge: fc.string(), token: fc.string() })
    .map((o) => JSON.stringify(o)),
  fc
    .record({
      schema: fc.constant('2.0'),
      header: fc.record({
        event_id: fc.string(),
        event_type: fc.constantFrom('im.message.receive_v1', 'card.action.trigger'),
        token: fc.string(),
      }),
      event: fc.json(),
    })
    .map((o) => JSON.stringify(o)),
);

it('answers every random request with a 4xx and changes nothing', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('/webhook/event', '/webhook/card'),
      body,
      contentType,
      headerValue,
      headerValue,
      headerValue,
      async (path, b, type, signature, timestamp, nonce) => {
        const headers: Record<string, string> = {};
        if (type) headers['content-type'] = type;
        if (signature !== undefined) headers['x-lark-signature'] = signature;
        if (timestamp !== undefined) headers['x-lark-request-timestamp'] = timestamp;
        if (nonce !== undefined) headers['x-lark-request-nonce'] = nonce;
        const res = await fetch(`${h.url}${path}`, { method: 'POST', headers, body: b });
        await res.arrayBuffer();
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
      },
    ),
    { numRuns: 400 },
  );
  await h.bot.idle();
  expect(h.fake.readUserCalls).toHaveLength(0);
  expect(h.fake.replies).toHaveLength(0);
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
}, 60_000);

describe('correctly signed requests with random contents', () => {
  /** What one signed request should come to: its HTTP status, the read_user calls it costs, whether it is answered. */
  type Case = { path: string; payload: unknown; deliveries: number; status: number; ids: string[]; replyTo?: string };

  const randomEvent = fc
    .tuple(
      fc.constantFrom('/webhook/event', '/webhook/card'),
      fc.constantFrom('im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.added_v1'),
      fc.json({ maxDepth: 4 }),
    )
    .map(([path, eventType, eventJson]) => (n: number): Case => ({
      path,
      payload: {
        schema: '2.0',
        header: { event_id: `ev_random_${n}`, event_type: eventType, token: TOKEN },
        event: JSON.parse(eventJson) as unknown,
      },
      deliveries: 1,
      status: 200,
      ids: [],
    }));

  /** A real command, signed like Feishu; whether it costs calls depends on where and how it is sent. */
  const command = fc
    .tuple(
      fc.integer({ min: 1, max: 3 }),
      fc.constantFrom('p2p', 'group_mention', 'group_no_mention', 'help', 'card_path', 'wrong_token', 'repeat'),
    )
    .map(([count, how]) => (n: number): Case => {
      const ids = Array.from({ length: count }, (_, i) => `bm_prop_${n}_${i}`);
      const messageId = `om_prop_${n}`;
      const chatId = `oc_prop_${n}`;
      h.fake.registerMessage(messageId, chatId);
      const group = how === 'group_mention' || how === 'group_no_mention';
      const mention = how === 'group_mention';
      const text = how === 'help' ? '/help' : `${mention ? '@_user_1 ' : ''}/reads ${ids.join(' ')}`;
      const payload = messageEvent({
        token: how === 'wrong_token' ? 'not-the-token' : TOKEN,
        text,
        eventId: `ev_prop_${n}`,
        messageId,
        chatId,
        chatType: group ? 'group' : 'p2p',
        senderOpenId: `ou_prop_${n}`,
        mentions: mention ? [{ openId: APP.botOpenId, name: 'Reads Bot' }] : [],
      });
      const toBot = how === 'p2p' || how === 'group_mention' || how === 'repeat';
      return {
        path: how === 'card_path' ? '/webhook/card' : '/webhook/event',
        payload,
        status: how === 'wrong_token' ? 401 : 200,
        ids: toBot ? ids : [],
        replyTo: toBot || how === 'help' ? messageId : undefined,
        deliveries: how === 'repeat' ? 2 : 1, // Feishu delivers it again: the second delivery costs nothing
      };
    });

  it('never answer 5xx, and exactly the well-formed commands to the bot cost read_user calls, one per id', async () => {
    const before = h.fake.readUserCalls.length;
    const repliesBefore = h.fake.replies.length;
    const wanted: string[] = [];
    const answered: string[] = [];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 1, arbitrary: randomEvent }, { weight: 2, arbitrary: command }),
        async (make) => {
          const c = make(n++);
          for (let i = 0; i < c.deliveries; i++) {
            const req = feishuRequest(c.payload, KEY);
            const res = await fetch(`${h.url}${c.path}`, { method: 'POST', headers: req.headers, body: req.body });
            await res.arrayBuffer();
            expect(res.status).toBe(c.status);
          }
          wanted.push(...c.ids);
          if (c.replyTo) answered.push(c.replyTo);
        },
      ),
      { numRuns: 200 },
    );
    await h.bot.idle();
    const called = h.fake.readUserCalls.slice(before).map((call) => call.batchId);
    expect(wanted.length).toBeGreaterThan(50); // many samples were commands that cost calls
    expect(called.sort()).toEqual(wanted.sort());
    expect(
      h.fake.replies
        .slice(repliesBefore)
        .map((r) => r.parentId)
        .sort(),
    ).toEqual(answered.sort());
  }, 60_000);

  it('answer every message sent to the bot exactly once, whatever it says', async () => {
    const sent: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 120 }),
          fc
            .tuple(fc.constantFrom('/reads', '／READS', '/help', '/reads bm_prop'), fc.string({ maxLength: 60 }))
            .map(([a, b]) => `${a} ${b}`),
        ),
        async (text) => {
          const { status, messageId } = await h.send(text);
          expect(status).toBe(200);
          sent.push(messageId);
        },
      ),
      { numRuns: 60 },
    );
    await h.bot.idle();
    for (const id of sent) expect(h.fake.repliesTo(id)).toHaveLength(1);
  }, 60_000);
});
