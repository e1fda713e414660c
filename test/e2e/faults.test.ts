/** Fault injection through the fake Open API over real HTTP: every command is answered exactly once. */
import { cardText } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';
import { HeldClock } from '../support/heldClock.js';
import { until } from '../support/until.js';

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

it('does not give up on a hang: after 3 timed-out attempts the command waits, and a later try answers it late', async () => {
  const hang = { kind: 'counts', read: 1, total: 1, delayMs: 100_000 } as const; // 100 times the 1 s timeout
  h.fake.setBatch('bm_hang', [hang, hang, hang, { kind: 'counts', read: 1, total: 1 }]);
  const { messageId } = await h.send('/reads bm_hang');
  await h.fake.waitForReplies(h.fake.replies.length + 1, 20_000);
  const text = await onlyReply(messageId);
  expect(text).toContain('100%');
  expect(text).toMatch(/Feishu was unavailable from \d\d:\d\d to \d\d:\d\d; these numbers were taken at \d\d:\d\d/);
  expect(callsFor('bm_hang')).toHaveLength(4);
}, 30_000);

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

describe('Feishu unreachable for a while', () => {
  // Retries wait 25–50 s, and those waits end when the test says: the outage lasts exactly as long as the test needs.
  const clock = new HeldClock((ms) => ms >= 25_000 && ms <= 50_000);
  let o: Harness;
  beforeAll(async () => {
    o = await startHarness({
      clock,
      retry: { maxAttempts: 3, baseDelayMs: 50_000, maxDelayMs: 50_000, budgetMs: 600_000 },
      fake: { fallback: () => ({ kind: 'counts', read: 5, total: 5 }) },
    });
  });
  afterAll(() => o.close());

  it('is ridden out: every command answered once, by a retry after Feishu is back', async () => {
    const port = Number(new URL(o.fake.baseUrl).port);
    await o.fake.close();
    // Three ids: the same id asked three times would share one call.
    const sent = await Promise.all([1, 2, 3].map((i) => o.send(`/reads bm_outage_${i}`)));
    expect(sent.map((s) => s.status)).toEqual([200, 200, 200]);
    await until(() => clock.sleeping.length === 3, 10_000, 'each command to find Feishu gone and wait to retry');
    expect(o.fake.replies).toHaveLength(0);
    await o.fake.listen(port);
    clock.wakeAll();
    for (const s of sent) expect(cardText((await o.onlyReply(s.messageId)).card)).toContain('100%');
    // The first attempts never reached Feishu; the retries did, once each.
    expect(o.fake.readUserCalls.map((c) => `${c.batchId} ${c.status}`).sort()).toEqual([
      'bm_outage_1 200',
      'bm_outage_2 200',
      'bm_outage_3 200',
    ]);
  });
});
