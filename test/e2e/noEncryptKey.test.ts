/** Feishu lets an app run without an encrypt key: plain JSON, no signature, the token is the only check. */
import { messageEvent } from '../../src/dev/demo/feishuEvents.js';
import { cardText } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ encryptKey: null, fake: { batches: { bm_plain: { kind: 'counts', read: 2, total: 4 } } } });
});
afterAll(() => h.close());

it('answers a plain event whose token is right', async () => {
  const { status, messageId } = await h.send('/reads bm_plain');
  expect(status).toBe(200);
  const [reply] = await h.fake.waitForReplies(1);
  expect(reply?.parentId).toBe(messageId);
  expect(cardText(reply?.card)).toContain('50.0%');
});

it('refuses a wrong token with 401 and sends nothing', async () => {
  const before = h.fake.replies.length;
  const res = await h.post(JSON.stringify(messageEvent({ token: 'guess', text: '/reads bm_plain' })), {
    'content-type': 'application/json',
  });
  expect(res.status).toBe(401);
  await new Promise((r) => setTimeout(r, 200));
  await h.bot.idle();
  expect(h.fake.replies.length).toBe(before);
});
