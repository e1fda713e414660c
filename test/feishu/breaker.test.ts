/** The circuit breaker on a fake clock: when it opens, how it probes, when it closes, and what it logs. */
import { CircuitBreaker, guardApi, type BreakerPolicy } from '../../src/feishu/breaker.js';
import { BotError } from '../../src/domain/errors.js';
import { capturedLogs } from '../support/capturedLogs.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { feishuError, gate, serverError, StubFeishu } from '../support/inProcessBot.js';
import { noRecipients } from '../../src/domain/send.js';

const POLICY: BreakerPolicy = { failuresToOpen: 3, baseDelayMs: 1_000, maxDelayMs: 4_000 };

function setUp(probe: () => Promise<unknown> = async () => 'ou_bot') {
  const clock = new FakeClock(1_000_000);
  const logs = capturedLogs('info');
  const probes: number[] = [];
  const breaker = new CircuitBreaker({
    clock,
    logger: logs.logger,
    policy: POLICY,
    random: () => 0, // every wait is half its ceiling
    probe: () => {
      probes.push(clock.now());
      return probe();
    },
  });
  const fail = (e: BotError = serverError(503)) => breaker.run(() => Promise.reject(e)).catch(() => undefined);
  const lines = (msg: string) =>
    logs
      .text()
      .split('\n')
      .filter((l) => l.includes(msg)).length;
  return { clock, breaker, probes, fail, lines };
}

const unavailable = expect.objectContaining({ code: 'feishu_unavailable' });

it('opens after that many outage failures in a row, then sends nothing and fails at once', async () => {
  const { breaker, fail, lines } = setUp();
  await fail(serverError(502));
  await fail(new BotError('timeout', 't'));
  expect(breaker.state).toBe('closed');
  await fail(new BotError('network', 'n'));
  expect(breaker.state).toBe('open');
  expect(breaker.downSince).toBe(1_000_000);
  let called = false;
  await expect(breaker.run(async () => (called = true))).rejects.toEqual(unavailable);
  expect(called).toBe(false);
  expect(lines('Feishu is unavailable')).toBe(1);
});

it('does not count a rate limit or a refusal as an outage, and an answer starts the count again', async () => {
  const { breaker, fail } = setUp();
  await fail();
  await fail();
  await fail(feishuError(99991400, 429));
  await fail(feishuError(230030));
  await fail();
  await fail();
  await breaker.run(async () => 'ok');
  await fail();
  await fail();
  expect(breaker.state).toBe('closed');
});

it('probes once after a growing, jittered wait; half-open while the probe runs; closes when it is answered', async () => {
  const answers = [gate<string>(), gate<string>(), gate<string>()];
  let n = 0;
  const { clock, breaker, probes, fail, lines } = setUp(() => answers[n++]!.promise);
  const seen: string[] = [];
  breaker.onChange((state) => seen.push(`${state}${state === 'closed' ? ` ${String(breaker.lastOutage?.to)}` : ''}`));
  for (let i = 0; i < 3; i++) await fail();
  let back = false;
  void breaker.nextClose().then(() => (back = true));

  await clock.advance(499);
  expect(probes).toEqual([]);
  await clock.advance(1);
  expect(probes).toEqual([1_000_500]); // half of the first 1 s
  expect(breaker.state).toBe('half_open');
  await expect(breaker.run(async () => 'x')).rejects.toEqual(unavailable);

  answers[0]!.reject(serverError(503));
  await settle();
  expect(breaker.state).toBe('open');
  await clock.advance(1_000); // half of 2 s
  answers[1]!.reject(new BotError('timeout', 't'));
  await settle();
  await clock.advance(2_000); // half of 4 s, the longest wait
  expect(probes).toEqual([1_000_500, 1_001_500, 1_003_500]);
  expect(back).toBe(false);

  answers[2]!.resolve('ou_bot');
  await settle();
  expect(breaker.state).toBe('closed');
  expect(back).toBe(true);
  expect(breaker.downSince).toBeUndefined();
  expect(breaker.lastOutage).toEqual({ from: 1_000_000, to: 1_003_500 });
  expect(lines('Feishu is unavailable')).toBe(1);
  expect(lines('Feishu is back')).toBe(1);
  await expect(breaker.run(async () => 'ok')).resolves.toBe('ok');
  // Every change told as it happened; the outage is known by the time it is told closed.
  expect(seen).toEqual(['open', 'half_open', 'open', 'half_open', 'open', 'half_open', 'closed 1003500']);
});

it('closes when the probe is refused for good: Feishu answered, so it is up', async () => {
  const { clock, breaker, fail } = setUp(() => Promise.reject(feishuError(230027)));
  for (let i = 0; i < 3; i++) await fail();
  await clock.advance(500);
  expect(breaker.state).toBe('closed');
});

it('closes at once when a call already on its way gets an answer; that outage’s probes stop', async () => {
  const { clock, breaker, probes, fail } = setUp();
  const late = gate<string>();
  const inFlight = breaker.run(() => late.promise);
  for (let i = 0; i < 3; i++) await fail();
  expect(breaker.state).toBe('open');
  late.resolve('answered');
  await expect(inFlight).resolves.toBe('answered');
  expect(breaker.state).toBe('closed');
  await clock.advance(60_000);
  expect(probes).toEqual([]);
});

it('a probe answered after another call already closed the breaker changes nothing', async () => {
  const probe = gate<string>();
  const { clock, breaker, fail } = setUp(() => probe.promise);
  const late = gate<string>();
  const inFlight = breaker.run(() => late.promise);
  for (let i = 0; i < 3; i++) await fail();
  await clock.advance(500); // the probe is on its way
  late.resolve('answered');
  await inFlight;
  for (let i = 0; i < 3; i++) await fail(); // a new outage
  probe.reject(serverError(503)); // the old probe's failure must not touch it
  await settle();
  expect(breaker.state).toBe('open');
  expect(breaker.downSince).toBe(clock.now());
});

it('stops probing once stopped (shutting down)', async () => {
  const { clock, breaker, probes, fail } = setUp();
  for (let i = 0; i < 3; i++) await fail();
  breaker.stop();
  await clock.advance(60_000);
  expect(probes).toEqual([]);
});

it('guards every Feishu call: while open none reaches Feishu', async () => {
  const { breaker, fail } = setUp();
  const api = new StubFeishu();
  api.setCounts('bm_a', 1, 2);
  const guarded = guardApi(api, breaker);
  await expect(guarded.readUser('bm_a')).resolves.toEqual({ readCount: 1, totalCount: 2 });
  await expect(guarded.replyCard('om_1', {}, 'u1')).resolves.toMatch(/^om_stub_reply_/);
  await expect(guarded.patchCard('om_1', {})).resolves.toBeUndefined();
  await expect(guarded.botOpenId()).resolves.toBe('ou_stub_bot');
  await expect(guarded.chatAdmins('oc_1')).resolves.toMatchObject({ isGroup: true });
  await expect(guarded.userDepartments('ou_1')).resolves.toEqual([]);
  const message = { text: 'hi', recipients: { ...noRecipients(), openIds: ['ou_a'] } };
  const { batchId } = await guarded.batchSend(message);
  await expect(guarded.recallBatch(batchId)).resolves.toBeUndefined();
  guarded.invalidateToken();
  for (let i = 0; i < 3; i++) await fail();
  const sent = () => [api.batchSendCalls.length, api.recallCalls.length];
  const before = { reads: api.readUserCalls.length, replies: api.replies.length, bot: api.botInfoCalls, sent: sent() };
  await expect(guarded.readUser('bm_a')).rejects.toEqual(unavailable);
  await expect(guarded.replyCard('om_2', {}, 'u2')).rejects.toEqual(unavailable);
  await expect(guarded.patchCard('om_1', {})).rejects.toEqual(unavailable);
  await expect(guarded.botOpenId()).rejects.toEqual(unavailable);
  await expect(guarded.chatAdmins('oc_1')).rejects.toEqual(unavailable);
  await expect(guarded.userDepartments('ou_1')).rejects.toEqual(unavailable);
  await expect(guarded.batchSend(message)).rejects.toEqual(unavailable);
  await expect(guarded.recallBatch(batchId)).rejects.toEqual(unavailable);
  expect({ reads: api.readUserCalls.length, replies: api.replies.length, bot: api.botInfoCalls, sent: sent() }).toEqual(
    before,
  );
});
