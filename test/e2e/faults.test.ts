/** Fault injection through the fake Open API over real HTTP: every command is answered exactly once. */
import { cardText } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeoutMs: 1000 });
});
afterAll(() => h.close());

const onlyReply = async (messageId: string) => cardText((await h.onlyReply(messageId)).card);

const callsFor = (batchId: string) => h.fake.readUserCalls.filter((c) => c.batchId === batchId);

it('retries a 5xx and answers with the counts', async () => {
  h.fake.setBatch('bm_5xx', [
    { kind: 'http_error', httpStatus: 503 },
    { kind: 'counts', read: 7, total: 10 },
  ]);
  const { messageId } = await h.send('/reads bm_5xx');
  expect(await onlyReply(messageId)).toContain('70.0%');
  expect(callsFor('bm_5xx').map((c) => c.status)).toEqual([503, 200]);
});

it('waits out a 429 (x-ogw-ratelimit-reset: 1) and answers', async () => {
  h.fake.setBatch('bm_429', [
    { kind: 'error', httpStatus: 429, code: 99991400, msg: 'request trigger frequency limit' },
    { kind: 'counts', read: 1, total: 4 },
  ]);
  const { messageId } = await h.send('/reads bm_429');
  expect(await onlyReply(messageId)).toContain('25.0%');
  const [first, second] = callsFor('bm_429');
  expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
});

it('gives up on a 15 s hang after 3 timed-out attempts, with an error card that says to try again', async () => {
  h.fake.setBatch('bm_hang', { kind: 'counts', read: 1, total: 1, delayMs: 15_000 });
  const { messageId } = await h.send('/reads bm_hang');
  const text = await onlyReply(messageId);
  expect(text).toContain('Feishu timed out');
  expect(text).toContain('try again');
  expect(callsFor('bm_hang')).toHaveLength(3);
}, 20_000);

it('fetches a new token when Feishu calls the cached one invalid, and answers', async () => {
  h.fake.setBatch('bm_token', { kind: 'counts', read: 2, total: 2 });
  const tokensBefore = h.fake.tokensIssued;
  h.fake.revokeTokens();
  const { messageId } = await h.send('/reads bm_token');
  expect(await onlyReply(messageId)).toContain('100%');
  expect(h.fake.tokensIssued).toBe(tokensBefore + 1);
  expect(callsFor('bm_token').map((c) => c.status)).toEqual([400, 200]);
});

it('retries a failed reply, so the answer still arrives once', async () => {
  h.fake.setBatch('bm_reply', { kind: 'counts', read: 3, total: 6 });
  h.fake.failReplies(
    { kind: 'http_error', httpStatus: 502 },
    { kind: 'error', httpStatus: 400, code: 230020, msg: 'frequency control' },
  );
  const { messageId } = await h.send('/reads bm_reply');
  expect(await onlyReply(messageId)).toContain('50.0%');
});

it('rides out Feishu being unreachable for a while: every command answered once', async () => {
  h.fake.setBatch('bm_outage', { kind: 'counts', read: 5, total: 5 });
  const port = Number(new URL(h.fake.baseUrl).port);
  await h.fake.close();
  const sent = await Promise.all([1, 2, 3].map(() => h.send('/reads bm_outage')));
  expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
  await new Promise((r) => setTimeout(r, 400)); // retries come after ≥ 0.25 s and ≥ 0.75 s: the third attempt finds it back
  await h.fake.listen(port);
  for (const s of sent) expect(await onlyReply(s.messageId)).toContain('100%');
}, 20_000);
