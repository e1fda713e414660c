/** Both front doors against random requests: never a crash, never a Feishu call, always a 4xx. */
import fc from 'fast-check';
import { startHarness, type Harness } from '../support/harness.js';

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
  it('never answer 5xx, and only well-formed commands to the bot cost a read_user call', async () => {
    const calls = h.fake.readUserCalls.length;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/webhook/event', '/webhook/card'),
        fc.constantFrom('im.message.receive_v1', 'card.action.trigger', 'im.chat.member.bot.added_v1'),
        fc.json({ maxDepth: 4 }),
        async (path, eventType, eventJson) => {
          const { feishuRequest } = await import('../../src/demo/feishuEvents.js');
          const { KEY, TOKEN } = await import('../support/harness.js');
          const payload = {
            schema: '2.0',
            header: { event_id: `ev_${Math.random()}`, event_type: eventType, token: TOKEN },
            event: JSON.parse(eventJson) as unknown,
          };
          const req = feishuRequest(payload, KEY);
          const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: req.headers, body: req.body });
          await res.arrayBuffer();
          expect(res.status).toBe(200);
        },
      ),
      { numRuns: 200 },
    );
    await h.bot.idle();
    expect(h.fake.readUserCalls.length).toBe(calls);
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
