import {
  backoffMs,
  COMMAND_WAIT,
  DEFAULT_RETRY,
  isOutage,
  isRetryable,
  isTransient,
  jitteredMs,
  surelyNotSent,
  withRetry,
} from '../../src/feishu/retry.js';
import { FakeClock } from '../support/fakeClock.js';
import { BotError } from '../../src/domain/errors.js';

const api = (code: number, httpStatus = 400, extra: Partial<{ retryAfterMs: number }> = {}) =>
  new BotError('feishu_api', 'x', { feishuCode: code, httpStatus, ...extra });

describe('isRetryable', () => {
  it('retries passing failures only', () => {
    expect(isRetryable(new BotError('timeout', 't'))).toBe(true);
    expect(isRetryable(new BotError('network', 'n'))).toBe(true);
    expect(isRetryable(new BotError('feishu_http', 'h', { httpStatus: 502 }))).toBe(true);
    expect(isRetryable(api(99991400, 429))).toBe(true);
    expect(isRetryable(api(99991400, 200))).toBe(true);
    expect(isRetryable(api(230020))).toBe(true);
    for (const code of [230001, 230012, 230027, 230030, 99991672, 99991663]) expect(isRetryable(api(code))).toBe(false);
    expect(isRetryable(new BotError('bad_response', 'b'))).toBe(false);
  });
});

describe('isOutage and isTransient', () => {
  it('an outage is Feishu not answering or failing, not a rate limit or a refusal', () => {
    expect(isOutage(new BotError('timeout', 't'))).toBe(true);
    expect(isOutage(new BotError('network', 'n'))).toBe(true);
    expect(isOutage(new BotError('feishu_http', 'h', { httpStatus: 503 }))).toBe(true);
    expect(isOutage(api(99991400, 429))).toBe(false);
    expect(isOutage(api(230030))).toBe(false);
  });

  it('what never ends a command: anything retryable, and Feishu being unavailable', () => {
    expect(isTransient(new BotError('feishu_unavailable', 'down'))).toBe(true);
    expect(isTransient(api(99991400, 429))).toBe(true);
    expect(isTransient(new BotError('feishu_http', 'h', { httpStatus: 500 }))).toBe(true);
    for (const code of [230001, 230012, 230027, 230030]) expect(isTransient(api(code))).toBe(false);
    expect(isTransient(api(230099, 403))).toBe(false);
    expect(isTransient(new BotError('internal', 'bug'))).toBe(false);
  });
});

describe('surelyNotSent', () => {
  it('holds only where Feishu surely did not take the request: breaker open, rate limit, a 503, bad token', () => {
    expect(surelyNotSent(new BotError('feishu_unavailable', 'open'))).toBe(true);
    expect(surelyNotSent(api(99991400, 429))).toBe(true);
    expect(surelyNotSent(api(99991400, 200))).toBe(true);
    expect(surelyNotSent(api(230020))).toBe(true);
    expect(surelyNotSent(new BotError('feishu_http', 'h', { httpStatus: 429 }))).toBe(true);
    expect(surelyNotSent(new BotError('feishu_http', 'h', { httpStatus: 503 }))).toBe(true);
    expect(surelyNotSent(api(99991663, 401))).toBe(true);
  });

  it('is false where the request may have reached Feishu, and for refusals', () => {
    expect(surelyNotSent(new BotError('timeout', 't'))).toBe(false);
    expect(surelyNotSent(new BotError('network', 'reset'))).toBe(false);
    // A 502 or 504 may come from a gateway that passed the request on and then gave up.
    for (const status of [500, 502, 504]) {
      expect(surelyNotSent(new BotError('feishu_http', 'h', { httpStatus: status }))).toBe(false);
    }
    expect(surelyNotSent(new BotError('bad_response', 'no message_id'))).toBe(false);
    for (const code of [10002, 11203, 11247]) expect(surelyNotSent(api(code, 200))).toBe(false);
  });
});

describe('a command’s wait for Feishu (fake clock: pure arithmetic)', () => {
  it('about 5 s, doubling with each try, jittered to 50–100 %, never over 5 min', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => jitteredMs(n, 1, COMMAND_WAIT));
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
    expect(jitteredMs(1, 0, COMMAND_WAIT)).toBe(2_500);
    expect(jitteredMs(20, 0.5, COMMAND_WAIT)).toBe(225_000);
    expect(COMMAND_WAIT.maxAgeMs).toBe(3_600_000);
  });
});

describe('backoffMs', () => {
  it('grows exponentially with jitter, capped, and never sooner than Feishu’s reset', () => {
    const e = new BotError('timeout', 't');
    expect(backoffMs(e, 1, 0, DEFAULT_RETRY)).toBe(250);
    expect(backoffMs(e, 1, 0.999, DEFAULT_RETRY)).toBeCloseTo(500, 0);
    expect(backoffMs(e, 2, 0, DEFAULT_RETRY)).toBe(500);
    expect(backoffMs(e, 10, 0.999, DEFAULT_RETRY)).toBeLessThanOrEqual(DEFAULT_RETRY.maxDelayMs);
    expect(backoffMs(api(99991400, 429, { retryAfterMs: 3000 }), 1, 0, DEFAULT_RETRY)).toBe(3000);
  });
});

describe('withRetry (fake clock)', () => {
  async function run<T>(clock: FakeClock, p: Promise<T>): Promise<T> {
    const settled = p.then(
      (v) => ({ v }),
      (e: unknown) => ({ e }),
    );
    for (let i = 0; i < 100; i++) await clock.advance(1000);
    const r = await settled;
    if ('e' in r) throw r.e;
    return r.v;
  }

  it('retries a 5xx and returns the success', async () => {
    const clock = new FakeClock();
    const answers: Array<() => Promise<string>> = [
      async () => Promise.reject(new BotError('feishu_http', 'bad gateway', { httpStatus: 502 })),
      async () => 'ok',
    ];
    let calls = 0;
    await expect(
      run(
        clock,
        withRetry(() => answers[calls++]!(), { clock, random: () => 0.5 }),
      ),
    ).resolves.toBe('ok');
    expect(calls).toBe(2);
  });

  it('waits for Feishu’s rate-limit reset before retrying', async () => {
    const clock = new FakeClock();
    const at: number[] = [];
    const p = withRetry(
      async () => {
        at.push(clock.now());
        if (at.length === 1) throw api(99991400, 429, { retryAfterMs: 4000 });
        return 'ok';
      },
      { clock, random: () => 0 },
    );
    await expect(run(clock, p)).resolves.toBe('ok');
    expect(at[1]! - at[0]!).toBe(4000);
  });

  it('gives up after 3 attempts with the last error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        throw new BotError('timeout', `attempt ${calls}`);
      },
      { clock },
    );
    await expect(run(clock, p)).rejects.toThrow('attempt 3');
    expect(calls).toBe(3);
  });

  it('gives up rather than go past the ~20 s budget', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        throw api(99991400, 429, { retryAfterMs: 25_000 });
      },
      { clock },
    );
    await expect(run(clock, p)).rejects.toMatchObject({ feishuCode: 99991400 });
    expect(calls).toBe(1);
  });

  it('fails at once on a documented error', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const p = withRetry(
      async () => {
        calls++;
        throw api(230030);
      },
      { clock },
    );
    await expect(run(clock, p)).rejects.toMatchObject({ feishuCode: 230030 });
    expect(calls).toBe(1);
  });

  it('retries only what the given rule allows, and the invalid token once', async () => {
    const clock = new FakeClock();
    const failures = [
      api(99991663),
      new BotError('feishu_http', 'h', { httpStatus: 503 }),
      new BotError('timeout', 't'),
    ];
    let calls = 0;
    const p = withRetry(
      async () => {
        throw failures[calls++]!;
      },
      {
        clock,
        retryable: surelyNotSent,
        onInvalidToken: () => undefined,
        policy: { ...DEFAULT_RETRY, maxAttempts: 5 },
      },
    );
    await expect(run(clock, p)).rejects.toMatchObject({ code: 'timeout' });
    expect(calls).toBe(3);
  });

  it('drops the token and retries once on 99991663', async () => {
    const clock = new FakeClock();
    let calls = 0;
    let invalidated = 0;
    const failing = withRetry(
      async () => {
        calls++;
        throw api(99991663);
      },
      { clock, onInvalidToken: () => invalidated++ },
    );
    await expect(run(clock, failing)).rejects.toMatchObject({ feishuCode: 99991663 });
    expect([calls, invalidated]).toEqual([2, 1]);
  });
});
