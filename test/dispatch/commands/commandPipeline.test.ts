/**
 * The way every command takes to its answer, through the real bot on a fake
 * clock: refusals for load (each told once), work that has to wait staying
 * journaled until the next start, and answers that can never be given.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BotError } from '../../../src/domain/errors.js';
import type { ReadCounts } from '../../../src/domain/types.js';
import { createMetrics } from '../../../src/app/metrics.js';
import { capturedLogs } from '../../support/capturedLogs.js';
import { cardText } from '../../support/cards.js';
import { settle } from '../../support/fakeClock.js';
import { sample } from '../../support/prometheus.js';
import { feishuError, gate, startInProcessBot, StubFeishu, type InProcessBot } from '../../support/inProcessBot.js';

const en = (card: unknown) => cardText(card, 'en');

let bots: InProcessBot[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const b of bots) await b.close().catch(() => undefined);
  bots = [];
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(o: Parameters<typeof startInProcessBot>[0] = {}) {
  const b = await startInProcessBot(o);
  bots.push(b);
  return b;
}

describe('refused for load, each told once', () => {
  it('a person over 10 commands a minute gets the slow-down card once, then silence; others are answered', async () => {
    const b = await start({ limits: { maxPending: 100, maxPendingPerChat: 100, userCommandsPerMinute: 10 } });
    b.api.setCounts('bm_a', 1, 2);
    const sent = [];
    for (let i = 0; i < 12; i++)
      sent.push(await b.send('/reads bm_a', { senderOpenId: 'ou_eager', chatId: `oc_${i}` }));
    const other = await b.send('/reads bm_a', { senderOpenId: 'ou_calm', chatId: 'oc_calm' });
    await b.idle();
    const answers = sent.map(({ messageId }) => b.api.repliesTo(messageId).map((r) => en(r.card)));
    expect(answers.slice(0, 10).every((a) => a.length === 1 && a[0]!.includes('Read rate: 50.0%'))).toBe(true);
    expect(answers[10]).toEqual([expect.stringContaining('Each person may send at most 10 commands a minute')]);
    expect(answers[11]).toEqual([]);
    expect(b.api.readUserCalls).toHaveLength(11);
    expect(b.api.repliesTo(other.messageId)).toHaveLength(1);
  });

  it('answers that ask Feishu nothing count against their own looser limit, not the queries’', async () => {
    const b = await start({ limits: { maxPending: 100, maxPendingPerChat: 100, userCommandsPerMinute: 2 } });
    b.api.setCounts('bm_a', 1, 2);
    const texts = [
      '/reads bm_a',
      '/help',
      'bm_a',
      '/reads bm_a foo',
      '/reads 12345',
      '/reads bm_a watch 30s',
      '/reads bm_a',
    ];
    const sent = [];
    for (const [i, text] of texts.entries())
      sent.push(await b.send(text, { senderOpenId: 'ou_mixed', chatId: `oc_${i}` }));
    await b.idle();
    const answers = sent.map(({ messageId }) => b.api.repliesTo(messageId).map((r) => en(r.card)));
    expect(answers.map((a) => a.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(answers[6]![0]).toContain('Each person may send at most 2 commands a minute');
    expect(b.api.readUserCalls).toHaveLength(2);
    for (let i = 0; i < 30 - 4; i++) await b.send('/help', { senderOpenId: 'ou_mixed', chatId: `oc_h_${i}` });
    const over = await b.send('/help', { senderOpenId: 'ou_other_reason', chatId: 'oc_h' });
    const last = await b.send('/help', { senderOpenId: 'ou_mixed', chatId: 'oc_h_last' });
    await b.idle();
    expect(b.api.repliesTo(over.messageId)).toHaveLength(1);
    expect(b.api.repliesTo(last.messageId)).toEqual([]); // over 30, and told to slow down moments ago
  });

  it('a chat with too many queries waiting gets the chat-busy card once, then silence', async () => {
    const b = await start({ limits: { maxPending: 100, maxPendingPerChat: 3, userCommandsPerMinute: 100 } });
    const held = gate<ReadCounts>();
    b.api.onReadUser = () => held.promise;
    const sent = [];
    for (let i = 0; i < 5; i++)
      sent.push(await b.send(`/reads bm_${i}`, { senderOpenId: `ou_${i}`, chatId: 'oc_busy' }));
    await settle();
    held.resolve({ readCount: 1, totalCount: 2 });
    await b.idle();
    const answers = sent.map(({ messageId }) => b.api.repliesTo(messageId).map((r) => en(r.card)));
    expect(answers.slice(0, 3).every((a) => a.length === 1 && a[0]!.includes('Read rate'))).toBe(true);
    expect(answers[3]).toEqual([expect.stringContaining('This chat already has 3 queries waiting')]);
    expect(answers[4]).toEqual([]);
  });

  it('when the whole queue is full, a chat gets the bot-busy card once, then silence', async () => {
    const b = await start({ limits: { maxPending: 2, maxPendingPerChat: 100, userCommandsPerMinute: 100 } });
    const held = gate<ReadCounts>();
    b.api.onReadUser = () => held.promise;
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await b.send(`/reads bm_${i}`, { senderOpenId: `ou_${i}`, chatId: 'oc_x' }));
    expect(b.bot.readiness().checks.queue).toBe(false);
    await settle();
    held.resolve({ readCount: 1, totalCount: 2 });
    await b.idle();
    const answers = sent.map(({ messageId }) => b.api.repliesTo(messageId).map((r) => en(r.card)));
    expect(answers[2]).toEqual([expect.stringContaining('Too many queries are queued right now')]);
    expect(answers[3]).toEqual([]);
  });
});

describe('journaled until answered', () => {
  it('a command whose answer has to wait (shared state out of reach) is not answered now, and is answered once after a restart', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reads-pipeline-'));
    const dbPath = join(dir, 'bot.db');
    const api = new StubFeishu();
    api.setCounts('bm_wait', 2, 8);
    let down = true;
    const first = await start({
      api,
      dbPath,
      shared: (state) => ({
        ...state,
        history: {
          ...state.history,
          record: (s, by) =>
            down ? Promise.reject(new BotError('unavailable', 'redis unreachable')) : state.history.record(s, by),
        },
      }),
    });
    const { messageId } = await first.send('/reads bm_wait');
    await first.idle();
    expect(api.repliesTo(messageId)).toEqual([]);
    expect(first.store.pending().map((e) => e.messageId)).toEqual([messageId]);
    await first.close();
    bots = [];

    down = false;
    const second = await start({ api, dbPath, clock: first.clock });
    await second.idle();
    expect(api.repliesTo(messageId)).toHaveLength(1);
    expect(en(api.repliesTo(messageId)[0]!.card)).toContain('Read rate: 25.0%');
    expect(second.store.pending()).toEqual([]);
  });

  it('a journal entry that cannot be cleared is answered again after a restart, but Feishu shows one reply (same uuid)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'reads-pipeline-'));
    const dbPath = join(dir, 'bot.db');
    const api = new StubFeishu();
    api.setCounts('bm_twice', 1, 2);
    const first = await start({
      api,
      dbPath,
      shared: (state) => ({
        ...state,
        intake: { ...state.intake, complete: () => Promise.reject(new BotError('unavailable', 'redis unreachable')) },
      }),
    });
    const { messageId } = await first.send('/reads bm_twice');
    await first.idle();
    expect(api.repliesTo(messageId)).toHaveLength(1);
    expect(first.store.pending()).toHaveLength(1);
    await first.close();
    bots = [];

    const second = await start({ api, dbPath, clock: first.clock });
    await second.idle();
    expect(api.readUserCalls).toHaveLength(2); // answered again…
    expect(api.repliesTo(messageId)).toHaveLength(1); // …under the same uuid: one reply
    expect(second.store.pending()).toEqual([]);
  });

  it('a reply Feishu refuses for good (bot not in the chat) is given up, not retried at every start', async () => {
    const b = await start();
    b.api.setCounts('bm_a', 1, 2);
    let attempts = 0;
    b.api.onReply = () => (attempts++, Promise.reject(feishuError(230002)));
    const { messageId } = await b.send('/reads bm_a');
    await b.idle();
    expect(attempts).toBe(1);
    expect(b.api.repliesTo(messageId)).toEqual([]);
    expect(b.store.pending()).toEqual([]);
  });
});

it('a shutdown lets the running command answer, and starts none of those waiting their turn', async () => {
  const b = await start({ runningCommands: 1 });
  const held = gate<ReadCounts>();
  b.api.onReadUser = () => held.promise;
  const running = await b.send('/reads bm_1', { chatId: 'oc_1', senderOpenId: 'ou_1' });
  const waiting = await b.send('/reads bm_2', { chatId: 'oc_2', senderOpenId: 'ou_2' });
  await settle();
  const pendingBefore = b.store.pending().map((e) => e.messageId);
  expect(pendingBefore).toEqual([running.messageId, waiting.messageId]);
  let result: { finished: boolean } | undefined;
  const stopping = b.bot.shutdown(10_000).then((r) => (result = r));
  held.resolve({ readCount: 1, totalCount: 2 });
  await settle();
  await stopping;
  bots = [];
  expect(result).toEqual({ finished: true });
  expect(b.api.repliesTo(running.messageId)).toHaveLength(1);
  expect(b.api.repliesTo(waiting.messageId)).toEqual([]);
  expect(b.api.readUserCalls).toEqual(['bm_1']);
});

describe('a bug is not a Feishu failure', () => {
  it('shows "something went wrong in the bot" and logs the original error with its stack', async () => {
    const logs = capturedLogs('error');
    const b = await start({
      logger: logs.logger,
      shared: (state) => ({
        ...state,
        history: {
          ...state.history,
          series: () => {
            throw new TypeError("Cannot read properties of undefined (reading 'takenAt')");
          },
        },
      }),
    });
    b.api.setCounts('bm_bug', 1, 2);
    const { messageId } = await b.send('/reads bm_bug');
    await b.idle();
    const [reply] = b.api.repliesTo(messageId);
    expect(en(reply!.card)).toContain('Something went wrong in the bot');
    const logged = logs
      .text()
      .split('\n')
      .filter((l) => l.includes('TypeError'));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain("Cannot read properties of undefined (reading 'takenAt')");
    expect(logged[0]).toContain('"stack":"TypeError');
  });
});

describe('fair turns', () => {
  it('a newcomer’s query goes ahead of a chat’s backlog and its many-id commands, and each class’s wait is counted', async () => {
    const metrics = createMetrics();
    const b = await start({
      metrics,
      runningCommands: 2,
      limits: { maxPending: 100, maxPendingPerChat: 100, userCommandsPerMinute: 100 },
    });
    const held = gate<ReadCounts>();
    b.api.onReadUser = (id) => (id === 'bm_new' ? undefined : held.promise);
    await b.send('/reads bm_first', { senderOpenId: 'ou_a', chatId: 'oc_busy' });
    for (let i = 0; i < 4; i++) await b.send(`/reads bm_b${i}`, { senderOpenId: 'ou_a', chatId: 'oc_busy' });
    await b.send('/reads bm_m1 bm_m2 bm_m3 bm_m4', { senderOpenId: 'ou_admin', chatId: 'oc_admin' });
    await b.clock.advance(20); // bulk calls start 20 ms apart
    const newcomer = await b.send('/reads bm_new', { senderOpenId: 'ou_new', chatId: 'oc_new' });
    await settle();
    // The chat's first command is a person's; two bulk commands hold the bulk's running slots, and the
    // newcomer's, a person's, starts at once.
    expect(b.api.readUserCalls).toEqual(['bm_first', 'bm_b0', 'bm_b1', 'bm_new']);
    expect(b.api.repliesTo(newcomer.messageId)).toHaveLength(1);
    held.resolve({ readCount: 1, totalCount: 2 });
    await b.idle();
    // The 4-id command counts as four turns: the chat's single queries take theirs meanwhile.
    expect(b.api.readUserCalls.slice(4)).toEqual(['bm_b2', 'bm_b3', 'bm_m1', 'bm_m2', 'bm_m3', 'bm_m4']);
    const { text } = await metrics.scrape();
    expect(sample(text, 'feishu_reads_bot_queue_wait_seconds_count', { class: 'person' })).toBe(2);
    expect(sample(text, 'feishu_reads_bot_queue_wait_seconds_count', { class: 'bulk' })).toBe(5);
    const callWaits = (cls: string) =>
      sample(text, 'feishu_reads_bot_call_wait_seconds_count', { class: cls, endpoint: 'read_user' });
    expect([callWaits('person'), callWaits('bulk')]).toEqual([2, 8]);
  });
});
