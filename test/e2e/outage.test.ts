/**
 * Feishu down for a while, over real HTTP: the fake Open API's outage switch
 * answers 503 to every call, token requests included. Commands that arrive
 * meanwhile are acknowledged, wait, and are each answered once after it, with
 * counts taken then; /readyz and /metrics show the outage; a restart in the
 * middle of it loses nothing. The outage is a short real one (a few seconds),
 * with the breaker's probe waits shortened to match.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeOpenApi, type BatchBehaviour } from '../../src/dev/demo/fakeOpenApi.js';
import type { BreakerPolicy } from '../../src/feishu/breaker.js';
import { cardText } from '../support/cards.js';
import { everyAnsweredOnce } from '../support/delivery.js';
import { APP, startHarness, type Harness, type HarnessOptions } from '../support/harness.js';
import { sample, scrape } from '../support/prometheus.js';
import { until } from '../support/until.js';

const BREAKER: BreakerPolicy = { failuresToOpen: 5, baseDelayMs: 400, maxDelayMs: 800 };
const OPTIONS: HarnessOptions = {
  breaker: BREAKER,
  retry: { maxAttempts: 2, baseDelayMs: 50, maxDelayMs: 100, budgetMs: 1_000 },
  timeoutMs: 1_000,
};
const NOT_FOUND: BatchBehaviour = { kind: 'error', httpStatus: 400, code: 230030, msg: 'record not found' };

let fake: FakeOpenApi;
let dir: string;
let harnesses: Harness[] = [];
let read = 2;
beforeEach(async () => {
  read = 2;
  fake = new FakeOpenApi({
    ...APP,
    fallback: (id) => (id.startsWith('bm_out') ? { kind: 'counts', read, total: 10 } : NOT_FOUND),
  });
  await fake.listen();
  dir = mkdtempSync(join(tmpdir(), 'reads-outage-'));
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
  await fake.close();
  rmSync(dir, { recursive: true, force: true, maxRetries: 10 }); // the store's checkpoint worker may still be closing its files
});

async function start(o: HarnessOptions = {}): Promise<Harness> {
  const h = await startHarness({ ...OPTIONS, existingFake: fake, ...o });
  harnesses.push(h);
  return h;
}

const readyz = async (url: string) => {
  const res = await fetch(`${url}/readyz`);
  const body = (await res.json()) as { checks: Record<string, boolean> };
  return { httpStatus: res.status, checks: body.checks };
};
const metric = async (url: string, name: string) => sample((await scrape(url)).text, name);

it('commands during an outage are all answered once after it, with the counts taken then', async () => {
  const h = await start();
  fake.outage(true);
  const sent = [];
  for (let i = 0; i < 20; i++) {
    // 20 people in 5 chats, as they come
    sent.push(await h.send(`/reads bm_out_${i}`, { chatId: `oc_${i % 5}`, senderOpenId: `ou_${i}` }));
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(sent.map((s) => s.status)).toEqual(sent.map(() => 200));
  await until(async () => (await readyz(h.url)).checks.feishu === false, 10_000, '/readyz to say Feishu is down');
  expect((await readyz(h.url)).httpStatus).toBe(503);
  await until(
    async () => (await metric(h.url, 'feishu_reads_bot_commands_waiting_for_feishu')) === 20,
    10_000,
    'all 20 to wait',
  );
  expect(await metric(h.url, 'feishu_reads_bot_feishu_breaker_state')).toBeGreaterThan(0);
  const refusedAtOpen = fake.outageRefusals;
  await new Promise((r) => setTimeout(r, 2_000)); // Feishu stays down a while
  // One wait, not a hammering: only the breaker's probes (one at a time, at most every 0.2–0.8 s) reach Feishu.
  expect(fake.outageRefusals - refusedAtOpen).toBeLessThanOrEqual(2_000 / (BREAKER.baseDelayMs / 2) + 1);
  expect(fake.replies).toEqual([]);

  read = 7; // people read it meanwhile
  fake.outage(false);
  await everyAnsweredOnce(
    fake,
    sent.map((s) => s.messageId),
    10_000,
  );
  for (const { messageId } of sent) {
    const text = cardText(fake.repliesTo(messageId)[0]!.card, 'en');
    expect(text).toContain('Read rate: 70.0%');
    expect(text).toMatch(
      /Feishu was unavailable from <local_datetime .*; these numbers were taken at <local_datetime millisecond='\d+' format_type='date_short'>/,
    );
  }
  expect((await readyz(h.url)).checks.feishu).toBe(true);
  expect(await metric(h.url, 'feishu_reads_bot_commands_waiting_for_feishu')).toBe(0);
  expect(await metric(h.url, 'feishu_reads_bot_feishu_breaker_state')).toBe(0);
  expect(fake.violations).toEqual([]);
}, 30_000);

it('a refusal for good gets its error card at once, with no wait', async () => {
  const h = await start();
  const { messageId } = await h.send('/reads bm_gone');
  const reply = await h.onlyReply(messageId);
  expect(cardText(reply.card, 'en')).toContain('230030');
  expect(cardText(reply.card, 'en')).not.toContain('Feishu was unavailable');
});

it('a restart in the middle of an outage loses nothing', async () => {
  const dbPath = join(dir, 'bot.db');
  const first = await start({ dbPath });
  fake.outage(true);
  const sent = [];
  for (let i = 0; i < 5; i++) sent.push(await first.send(`/reads bm_out_${i}`, { chatId: `oc_${i}` }));
  await until(
    async () => (await metric(first.url, 'feishu_reads_bot_commands_waiting_for_feishu')) === 5,
    10_000,
    'all 5 to wait',
  );
  await first.close();
  harnesses = [];

  // The new process starts while Feishu is still down: it waits to learn who it is, then resumes the journal.
  const second = start({ dbPath });
  await new Promise((r) => setTimeout(r, 1_500));
  expect(fake.replies).toEqual([]);
  fake.outage(false);
  await second;
  await everyAnsweredOnce(
    fake,
    sent.map((s) => s.messageId),
    15_000,
  );
  for (const { messageId } of sent)
    expect(cardText(fake.repliesTo(messageId)[0]!.card, 'en')).toContain('Feishu was unavailable from');
}, 30_000);
