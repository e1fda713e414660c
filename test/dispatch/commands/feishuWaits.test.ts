/**
 * Commands while Feishu is unavailable, through the real bot on a fake clock
 * with an in-memory Feishu the test takes down and brings back: nothing ends,
 * one wait for the whole outage, late answers with fresh counts and a note,
 * a kept card sent again, refusals for good at once, the hour's limit, and a
 * restart in the middle of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchIdFor } from '../../../src/domain/ids.js';
import type { BreakerPolicy } from '../../../src/feishu/breaker.js';
import type { RetryPolicy } from '../../../src/feishu/retry.js';
import { createMetrics } from '../../../src/app/metrics.js';
import type { Metrics } from '../../../src/domain/metrics.js';
import { capturedLogs } from '../../support/capturedLogs.js';
import { cardText } from '../../support/cards.js';
import {
  feishuError,
  serverError,
  startInProcessBot,
  StubFeishu,
  type InProcessBot,
} from '../../support/inProcessBot.js';
import { sample } from '../../support/prometheus.js';

const en = (card: unknown) => cardText(card, 'en');
const MINUTE = 60_000;
const BREAKER: BreakerPolicy = { failuresToOpen: 3, baseDelayMs: 1_000, maxDelayMs: 4_000 };
const RETRY: RetryPolicy = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 100, budgetMs: 1_000 };

/** A Feishu stand-in with a switch: while down, every call fails with a 503, as in the outage. */
class OutageFeishu extends StubFeishu {
  down = false;
  constructor() {
    super();
    const failWhileDown = () => (this.down ? Promise.reject(serverError(503)) : undefined);
    this.onReadUser = failWhileDown;
    this.onReply = failWhileDown;
    this.onBotInfo = failWhileDown;
    this.onChatAdmins = failWhileDown;
  }
}

let bots: InProcessBot[] = [];
let dir: string | undefined;
afterEach(async () => {
  for (const b of bots) await b.close().catch(() => undefined);
  bots = [];
  // The store's checkpoint worker may still be closing its files: retried, as rm -rf would be.
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 10 });
  dir = undefined;
});

async function start(o: Parameters<typeof startInProcessBot>[0] = {}) {
  const b = await startInProcessBot({ breaker: BREAKER, retry: RETRY, api: new OutageFeishu(), ...o });
  bots.push(b);
  return b;
}

const feishu = (b: InProcessBot) => b.api as OutageFeishu;
const breakerOpen = (b: InProcessBot) => !b.bot.readiness().checks.feishu;
const scraped = async (metrics: Metrics, name: string) => sample((await metrics.scrape()).text, name);

it('an outage ends no command: each waits, and once Feishu is back is answered once, with fresh counts and a note', async () => {
  const metrics = createMetrics();
  const logs = capturedLogs('info');
  const b = await start({ metrics, logger: logs.logger });
  for (let i = 1; i <= 5; i++) b.api.setCounts(`bm_${i}`, 1, 10);
  feishu(b).down = true;
  const sent = [];
  for (let i = 1; i <= 5; i++)
    sent.push(await b.send(`/reads bm_${i}`, { chatId: `oc_${i}`, senderOpenId: `ou_${i}` }));
  await b.drive(() => breakerOpen(b), 'the breaker to open');
  expect(b.bot.readiness().ready).toBe(false);
  const callsWhenOpened = b.api.readUserCalls.length;
  expect(callsWhenOpened).toBeLessThanOrEqual(BREAKER.failuresToOpen + RETRY.maxAttempts * 5);

  await b.clock.advance(MINUTE);
  expect(b.api.replies).toEqual([]);
  expect(b.api.readUserCalls).toHaveLength(callsWhenOpened); // one wait, not a hammering: only the probe calls
  expect(b.store.pending().map((e) => e.messageId)).toEqual(sent.map((s) => s.messageId));
  // Those that tried wait with their attempts noted; any that came after the breaker opened wait queued, untried.
  const tried = b.store.pending().filter((e) => e.attempts !== undefined);
  expect(tried.length).toBeGreaterThan(0);
  expect(tried.every((e) => e.waitingSince !== undefined)).toBe(true);
  expect(await scraped(metrics, 'feishu_reads_bot_commands_waiting_for_feishu')).toBe(5);
  expect(await scraped(metrics, 'feishu_reads_bot_feishu_breaker_state')).toBe(2);

  for (let i = 1; i <= 5; i++) b.api.setCounts(`bm_${i}`, 7, 10); // read meanwhile
  feishu(b).down = false;
  await b.drive(() => b.api.replies.length === 5, 'every command to be answered', 1_000, 30);
  await b.idle();
  for (const { messageId } of sent) {
    const replies = b.api.repliesTo(messageId);
    expect(replies).toHaveLength(1);
    expect(en(replies[0]!.card)).toContain('Read rate: 70.0%');
    expect(en(replies[0]!.card)).toMatch(
      /Feishu was unavailable from <local_datetime [^>]*><\/local_datetime> <local_datetime [^>]*><\/local_datetime> to .*; these numbers were taken at/,
    );
  }
  expect(b.bot.readiness().checks.feishu).toBe(true);
  expect(b.store.pending()).toEqual([]);
  expect(await scraped(metrics, 'feishu_reads_bot_commands_waiting_for_feishu')).toBe(0);
  expect(await scraped(metrics, 'feishu_reads_bot_feishu_breaker_state')).toBe(0);
  const lines = logs.text().split('\n');
  expect(lines.filter((l) => l.includes('Feishu is unavailable'))).toHaveLength(1);
  expect(lines.filter((l) => l.includes('Feishu is back'))).toHaveLength(1);
  expect(lines.filter((l) => l.includes('could not answer'))).toEqual([]);
});

it('while the breaker is open no command starts: later ones wait queued, untried, and are answered with the note', async () => {
  const metrics = createMetrics();
  const b = await start({ metrics });
  b.api.setCounts('bm_opens', 1, 4);
  feishu(b).down = true;
  await b.send('/reads bm_opens', { chatId: 'oc_first' }); // its failures open the breaker
  await b.drive(() => breakerOpen(b), 'the breaker to open');
  const callsWhenOpened = b.api.readUserCalls.length;
  const later: Array<{ messageId: string }> = [];
  for (let i = 1; i <= 3; i++) {
    b.api.setCounts(`bm_later_${i}`, i, 4);
    later.push(await b.send(`/reads bm_later_${i}`, { chatId: `oc_later_${i}`, senderOpenId: `ou_later_${i}` }));
  }
  await b.clock.advance(10 * MINUTE);
  expect(b.api.readUserCalls).toHaveLength(callsWhenOpened); // they sent nothing, not even a call that fails at once
  const untried = b.store.pending().filter((e) => later.some((l) => l.messageId === e.messageId));
  expect(untried.map((e) => e.attempts)).toEqual([undefined, undefined, undefined]);
  expect(await scraped(metrics, 'feishu_reads_bot_commands_waiting_for_feishu')).toBe(4);

  feishu(b).down = false;
  await b.drive(() => b.api.replies.length === 4, 'every command to be answered', 1_000, 30);
  for (const [i, { messageId }] of later.entries()) {
    const text = en(b.api.repliesTo(messageId)[0]!.card);
    expect(text).toContain(`Read rate: ${[25, 50, 75][i]}.0%`);
    expect(text).toContain('Feishu was unavailable from');
  }
  expect(b.api.readUserCalls.filter((id) => id.startsWith('bm_later_'))).toHaveLength(3); // each asked once
  expect(await scraped(metrics, 'feishu_reads_bot_commands_waiting_for_feishu')).toBe(0);
});

it('when read_user answered but the reply failed, the card is kept and only the reply is sent again', async () => {
  const b = await start();
  b.api.setCounts('bm_kept', 3, 4);
  b.api.onReadUser = undefined; // read_user answers; only replies (and the probe) fail
  feishu(b).down = true;
  const askedAt = b.clock.now();
  const { messageId } = await b.send('/reads bm_kept');
  await b.drive(() => b.store.pending()[0]?.card !== undefined, 'the built card to be journaled');
  expect(b.store.pending()[0]!.takenAt).toBe(askedAt);
  await b.clock.advance(3 * MINUTE);
  b.api.setCounts('bm_kept', 4, 4);
  feishu(b).down = false;
  await b.drive(() => b.api.repliesTo(messageId).length === 1, 'the kept card to be sent', 1_000, 30);
  expect(b.api.readUserCalls).toEqual(['bm_kept']);
  const text = en(b.api.repliesTo(messageId)[0]!.card);
  expect(text).toContain('Read rate: 75.0%');
  expect(text).toContain(
    `these numbers were taken at <local_datetime millisecond='${askedAt}' format_type='date_short'>`,
  );
});

it('a watch whose card waits for Feishu (longer than 10 minutes) keeps its place and updates the card once it goes out', async () => {
  const b = await start();
  b.api.setCounts('bm_long_w', 1, 4);
  b.api.onReadUser = undefined;
  feishu(b).down = true;
  const { messageId } = await b.send('/reads bm_long_w watch 2h every 5m', { chatId: 'oc_lw', chatType: 'group' });
  await b.drive(() => b.store.pending()[0]?.card !== undefined, 'the built card to be journaled');
  await b.clock.advance(15 * MINUTE);
  expect(await b.shared.watches.active()).toHaveLength(1); // still reserved for the waiting command
  b.api.setCounts('bm_long_w', 3, 4); // read meanwhile: the watch's first update shows it
  feishu(b).down = false;
  await b.drive(() => b.api.repliesTo(messageId).length === 1, 'the kept card to be sent', 1_000, 30);
  const card = b.api.repliesTo(messageId)[0]!;
  expect(en(card.card)).toContain('Watching');
  const [watch] = await b.shared.watches.active();
  expect(watch?.cardMessageId).toBe(card.messageId);
  await b.drive(() => b.api.patches.length > 0, 'the watch’s first update', 10_000, 60);
  expect(en(b.api.cardOf(card.messageId))).toContain('Read rate: 75.0%');
});

it('a watch whose command is dropped after the hour gives its place back at once', async () => {
  const b = await start();
  b.api.setCounts('bm_never', 1, 4);
  b.api.onReadUser = undefined;
  feishu(b).down = true;
  const { messageId } = await b.send('/reads bm_never watch 2h every 5m', { chatId: 'oc_nv', chatType: 'group' });
  await b.drive(() => b.store.pending().length === 0, 'the command to be dropped', MINUTE, 70);
  expect(b.api.replies).toEqual([]);
  expect(await b.shared.watches.active()).toEqual([]);
  expect(await b.shared.watches.get(watchIdFor(messageId))).toMatchObject({ endedBy: 'not_started' });
});

it('a refusal for good still gets its error card at once, outage or not', async () => {
  const b = await start();
  b.api.onReadUser = (id) =>
    id === 'bm_denied'
      ? Promise.reject(feishuError(230027))
      : id === 'bm_forbidden'
        ? Promise.reject(feishuError(99999, 403))
        : undefined;
  const gone = await b.send('/reads bm_gone', { chatId: 'oc_a' });
  const denied = await b.send('/reads bm_denied', { chatId: 'oc_b' });
  const forbidden = await b.send('/reads bm_forbidden', { chatId: 'oc_c' });
  await b.idle();
  expect(en(b.api.repliesTo(gone.messageId)[0]!.card)).toContain('230030');
  expect(en(b.api.repliesTo(denied.messageId)[0]!.card)).toContain('230027');
  expect(en(b.api.repliesTo(forbidden.messageId)[0]!.card)).toContain('99999');
  expect(b.api.readUserCalls).toHaveLength(3); // none retried
  expect(b.store.pending()).toEqual([]);
});

it('a Refresh press while Feishu is down is answered at once: Feishu is unavailable, try again in a minute', async () => {
  const b = await start();
  b.api.setCounts('bm_r', 1, 2);
  const { messageId } = await b.send('/reads bm_r', { chatId: 'oc_r' });
  await b.idle();
  const reply = b.api.repliesTo(messageId)[0]!;
  feishu(b).down = true;
  await b.send('/reads bm_other', { chatId: 'oc_other' }); // its failures open the breaker
  await b.drive(() => breakerOpen(b), 'the breaker to open');
  const answer = await b.press({
    operatorOpenId: 'ou_presser',
    messageId: reply.messageId,
    chatId: 'oc_r',
    value: { a: 'refresh', ids: ['bm_r'] },
  });
  const text = en((answer as { card?: { data: unknown } }).card?.data);
  expect(text).toContain('Feishu unavailable');
  expect(text).toContain('Try again in a minute.');
});

it('a command that waited an hour is dropped unanswered, logged and counted', async () => {
  const metrics = createMetrics();
  const logs = capturedLogs('error');
  const b = await start({ metrics, logger: logs.logger });
  b.api.setCounts('bm_long', 1, 2);
  feishu(b).down = true;
  await b.send('/reads bm_long');
  await b.drive(() => b.store.pending().length === 0, 'the command to be dropped', MINUTE, 70);
  expect(b.api.replies).toEqual([]);
  expect(logs.text()).toContain('Feishu was unavailable for over an hour; command dropped unanswered');
  expect(await scraped(metrics, 'feishu_reads_bot_commands_dropped_total')).toBe(1);
  expect(await scraped(metrics, 'feishu_reads_bot_commands_waiting_for_feishu')).toBe(0);
});

it('an access check Feishu could not answer is no refusal: the command waits for it', async () => {
  const b = await start({ access: { kind: 'group_admins' } });
  b.api.setCounts('bm_admin', 2, 4);
  b.api.onChatAdmins = () =>
    feishu(b).down
      ? Promise.reject(serverError(503))
      : Promise.resolve({ isGroup: true, ownerOpenId: 'ou_owner', managerOpenIds: [] });
  feishu(b).down = true;
  const { messageId } = await b.send('/reads bm_admin', { chatType: 'group', senderOpenId: 'ou_owner' });
  await b.drive(() => breakerOpen(b), 'the breaker to open');
  await b.clock.advance(MINUTE);
  expect(b.api.replies).toEqual([]);
  feishu(b).down = false;
  await b.drive(() => b.api.repliesTo(messageId).length === 1, 'the answer', 1_000, 30);
  expect(en(b.api.repliesTo(messageId)[0]!.card)).toContain('Read rate: 50.0%');
});

it('a restart in the middle of an outage loses nothing: the next start answers what waited, noting since when', async () => {
  dir = mkdtempSync(join(tmpdir(), 'reads-outage-'));
  const dbPath = join(dir, 'bot.db');
  const api = new OutageFeishu();
  const first = await start({ dbPath, api });
  for (let i = 1; i <= 3; i++) api.setCounts(`bm_${i}`, i, 4);
  api.down = true;
  const outageFrom = first.clock.now();
  const sent = [];
  for (let i = 1; i <= 3; i++)
    sent.push(await first.send(`/reads bm_${i}`, { chatId: `oc_${i}`, senderOpenId: `ou_${i}` }));
  await first.drive(() => first.store.pending().every((e) => e.attempts !== undefined), 'every command to wait');
  await first.close();
  bots = [];

  const second = await start({ dbPath, api, start: false, startAt: outageFrom + 2 * MINUTE });
  expect(second.store.pending().map((e) => e.waitingSince)).toEqual([outageFrom, outageFrom, outageFrom]);
  const started = second.bot.start();
  await second.clock.advance(30_000); // still down: the bot cannot even learn who it is
  api.down = false;
  await second.drive(() => api.replies.length === 3, 'every command to be answered', 1_000, 60);
  await started;
  await second.idle();
  for (const [i, { messageId }] of sent.entries()) {
    const replies = api.repliesTo(messageId);
    expect(replies).toHaveLength(1);
    expect(en(replies[0]!.card)).toContain(`Read rate: ${[25, 50, 75][i]}.0%`);
    expect(en(replies[0]!.card)).toContain(
      `Feishu was unavailable from <local_datetime millisecond='${outageFrom}' format_type='date_short'>`,
    );
  }
  expect(second.store.pending()).toEqual([]);
});
