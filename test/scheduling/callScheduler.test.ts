import { LocalBudget } from '../../src/scheduling/budget.js';
import { CallScheduler, KeyedCallScheduler } from '../../src/scheduling/callScheduler.js';
import type { Lane } from '../../src/scheduling/lanes.js';
import { APP_LIMITS } from '../../src/domain/limits.js';
import { bulkRuleOf } from '../../src/scheduling/bulkRule.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { peakInWindow } from '../support/windows.js';

describe('CallScheduler (fake clock)', () => {
  it('starts 50 calls at once, the next 50 one window after the first ones completed', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 50 }], { clock });
    const startedAt: number[] = [];
    const calls = Array.from({ length: 120 }, () =>
      scheduler.run(async () => {
        startedAt.push(clock.now());
      }),
    );
    await clock.advance(2500);
    await Promise.all(calls);
    expect(startedAt.filter((t) => t === 0)).toHaveLength(50);
    expect(startedAt.filter((t) => t === 1000)).toHaveLength(50);
    expect(startedAt.filter((t) => t === 2000)).toHaveLength(20);
  });

  it('holds a slot while the call is in flight and for a window after', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 2 }], { clock });
    const startedAt: number[] = [];
    const slow = () =>
      scheduler.run(async () => {
        startedAt.push(clock.now());
        await clock.sleep(300);
      });
    const calls = [slow(), slow(), slow()];
    await clock.advance(1299);
    expect(startedAt).toEqual([0, 0]);
    await clock.advance(1);
    expect(startedAt).toEqual([0, 0, 1300]);
    await clock.advance(300);
    await Promise.all(calls);
  });

  it('serves a person’s call first, then bulk, then watches, each in turn across chats', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 1 }], { clock });
    const order: string[] = [];
    const job = (name: string, lane: Lane) => scheduler.run(async () => void order.push(name), lane);
    const all = [
      job('w1', { cls: 'watch', chat: 'oc_w', person: 'ou_w' }),
      job('a1', { cls: 'bulk', chat: 'oc_a', person: 'ou_a' }),
      job('a2', { cls: 'bulk', chat: 'oc_a', person: 'ou_a' }),
      job('b1', { cls: 'bulk', chat: 'oc_b', person: 'ou_b' }),
      job('p1', { cls: 'person', chat: 'oc_p', person: 'ou_p' }),
    ];
    await clock.advance(10_000);
    await Promise.all(all);
    // All came in one turn: the person first, then bulk across chats, then the watch.
    expect(order).toEqual(['p1', 'a1', 'b1', 'a2', 'w1']);
  });

  it('frees the slot when the call throws, and passes the error on', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 1 }], { clock });
    await expect(scheduler.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const next = scheduler.run(async () => clock.now());
    await clock.advance(1000);
    await expect(next).resolves.toBe(1000);
  });

  it('keeps a failed call’s slot longer when told to', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 1 }], { clock, holdAfterFailure: () => 2000 });
    await expect(scheduler.run(async () => Promise.reject(new Error('timed out')))).rejects.toThrow();
    const next = scheduler.run(async () => clock.now());
    await clock.advance(3000);
    await expect(next).resolves.toBe(3000);
  });

  it('holds Feishu’s real limits in every 1 s and 60 s window, for 1,200 calls of random duration', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler(APP_LIMITS, { clock });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const arrivals: number[] = [];
    const calls = Array.from({ length: 1200 }, () =>
      scheduler.run(async () => {
        const duration = Math.floor(random() * 800);
        const arrival = clock.now() + Math.floor(random() * duration); // Feishu sees it somewhere in flight
        await clock.sleep(duration);
        arrivals.push(arrival);
      }),
    );
    for (let t = 0; t < 130_000; t += 100) await clock.advance(100);
    await Promise.all(calls);
    const maxIn = (windowMs: number) => peakInWindow(arrivals, windowMs);
    expect(maxIn(1000)).toBeLessThanOrEqual(50);
    expect(maxIn(60_000)).toBeLessThanOrEqual(1000);
    expect(maxIn(60_000)).toBeGreaterThan(900); // and it does use the budget
  }, 60_000);
});

describe('CallScheduler, waiting', () => {
  it('on stop, rejects the calls waiting behind the budget and every later one; a running call carries on', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 1 }], { clock });
    let finish!: () => void;
    const running = scheduler.run(() => new Promise<number>((resolve) => (finish = () => resolve(clock.now()))));
    const dropped = scheduler.run(async () => clock.now());
    const queued = scheduler.run(async () => clock.now(), { cls: 'bulk', chat: 'oc_b', person: 'ou_b' });
    await settle();
    expect(scheduler.waiting).toBe(2);
    scheduler.stop(new Error('shutting down'));
    await expect(dropped).rejects.toThrow('shutting down');
    await expect(queued).rejects.toThrow('shutting down');
    await expect(scheduler.run(async () => 'later')).rejects.toThrow('shutting down');
    expect(scheduler.waiting).toBe(0);
    await clock.advance(500);
    finish();
    await expect(running).resolves.toBe(500);
  });

  it('counts a slot that arrived for a call stopped meanwhile, as a call that may have gone', async () => {
    const clock = new FakeClock();
    const local = new LocalBudget([{ windowMs: 1000, max: 1 }], clock);
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    // A budget that answers late, as Redis does: the stop comes while the slot is on its way.
    const slow = { take: async () => answered.then(() => local.take()), isIdle: () => local.isIdle() };
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 1 }], { clock, budget: slow });
    let called = false;
    const dropped = scheduler.run(async () => (called = true));
    await settle();
    scheduler.stop(new Error('stop'));
    answer();
    await expect(dropped).rejects.toThrow('stop');
    expect(called).toBe(false);
    expect(local.isIdle()).toBe(false); // its slot still counts for a window
    await clock.advance(1000);
    expect(local.isIdle()).toBe(true);
  });

  it('fails the call whose slot could not be asked for, and gives the next one its own try', async () => {
    const clock = new FakeClock();
    let fail = true;
    const budget = new LocalBudget([{ windowMs: 1000, max: 5 }], clock);
    const flaky = {
      take: () => (fail ? ((fail = false), Promise.reject(new Error('budget out of reach'))) : budget.take()),
      isIdle: () => budget.isIdle(),
    };
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 5 }], { clock, budget: flaky });
    const a = scheduler.run(async () => 'a');
    const b = scheduler.run(async () => 'b');
    await expect(a).rejects.toThrow('budget out of reach');
    await expect(b).resolves.toBe('b');
  });

  it('waits for a call in flight to complete when all slots are held, then goes a window later', async () => {
    const clock = new FakeClock();
    const scheduler = new CallScheduler([{ windowMs: 1000, max: 1 }], { clock });
    let finish!: () => void;
    const long = scheduler.run(() => new Promise<void>((resolve) => (finish = resolve)));
    const next = scheduler.run(async () => clock.now());
    await clock.advance(5000);
    finish();
    await long;
    await clock.advance(1000);
    await expect(next).resolves.toBe(6000);
    expect(scheduler.isIdle()).toBe(false); // its slot still counts for a window
    await clock.advance(1000);
    expect(scheduler.isIdle()).toBe(true);
  });
});

describe('CallScheduler with a reserve (fake clock, 110 chats)', () => {
  /**
   * 1,100 bulk calls from 110 chats (10 each) in one burst, each call 100 ms in
   * flight, and a person's call from a new chat at 5 s and at 25 s.
   */
  async function backlog() {
    const clock = new FakeClock();
    const scheduler = new CallScheduler(APP_LIMITS, { clock, bulk: bulkRuleOf(APP_LIMITS) });
    const bulk: Array<{ chat: number; start: number; end: number }> = [];
    const call = (record: (start: number, end: number) => void) => async () => {
      const start = clock.now();
      await clock.sleep(100);
      record(start, clock.now());
    };
    const calls: Promise<void>[] = [];
    for (let n = 0; n < 10; n++)
      for (let chat = 0; chat < 110; chat++)
        calls.push(
          scheduler.run(
            call((start, end) => bulk.push({ chat, start, end })),
            { cls: 'bulk', chat: `oc_${chat}`, person: `ou_${chat}_${n}` },
          ),
        );
    const newcomers: Array<{ asked: number; start: number }> = [];
    const newcomer = () => {
      const asked = clock.now();
      calls.push(
        scheduler.run(
          call((start) => newcomers.push({ asked, start })),
          { cls: 'person', chat: `oc_new_${asked}`, person: `ou_new_${asked}` },
        ),
      );
    };
    for (let t = 0; t < 130_000; t += 100) {
      if (t === 5_000 || t === 25_000) newcomer();
      await clock.advance(100);
    }
    await Promise.all(calls);
    return { bulk, newcomers };
  }

  it('makes the first 900 calls at full speed, keeps 100 a minute for people, and never goes over', async () => {
    const { bulk, newcomers } = await backlog();
    expect(bulk).toHaveLength(1100);
    const starts = bulk.map((c) => c.start).sort((a, b) => a - b);
    // 50 every 1.1 s (a slot is held 1 s past the call's end); the newcomer at 5 s took one of the 900.
    expect(starts[898]).toBeLessThanOrEqual(21_500);
    expect(starts[899]).toBeGreaterThanOrEqual(60_000); // the rest waits for the minute to slide: 100 kept back
    // A newcomer's call goes within a second, early in the backlog and after the bulk spent its share.
    expect(newcomers.map((n) => n.start - n.asked)).toEqual([expect.any(Number), expect.any(Number)]);
    for (const n of newcomers) expect(n.start - n.asked).toBeLessThanOrEqual(1_100);
    expect(newcomers[1]!.start - newcomers[1]!.asked).toBe(0);
    // As Feishu counts arrivals (anywhere from start to end), no window holds more than the limits.
    const all = [...bulk, ...newcomers.map((n) => ({ start: n.start, end: n.start + 100 }))];
    for (const edge of ['start', 'end'] as const) {
      expect(
        peakInWindow(
          all.map((c) => c[edge]),
          1_000,
        ),
      ).toBeLessThanOrEqual(50);
      expect(
        peakInWindow(
          all.map((c) => c[edge]),
          60_000,
        ),
      ).toBeLessThanOrEqual(1_000);
      expect(
        peakInWindow(
          bulk.map((c) => c[edge]),
          60_000,
        ),
      ).toBeLessThanOrEqual(900);
    }
  }, 60_000);

  it('starts bulk calls 20 ms apart, never in a burst, while a person’s call does not wait for the spacing', async () => {
    const { bulk, newcomers } = await backlog();
    const starts = bulk.map((c) => c.start).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
    expect(Math.min(...gaps)).toBe(20);
    expect(newcomers[1]!.start - newcomers[1]!.asked).toBe(0);
  }, 60_000);

  it('serves the chats in turn: each of the 110 once in every 110 calls', async () => {
    const { bulk } = await backlog();
    const order = [...bulk].sort((a, b) => a.start - b.start);
    for (let round = 0; round < 10; round++) {
      const chats = new Set(order.slice(round * 110, (round + 1) * 110).map((c) => c.chat));
      expect(chats.size).toBe(110);
    }
  }, 60_000);
});

describe('bulkRuleOf', () => {
  it('cuts the widest window to the share, keeps the narrower ones whole, and paces at the narrowest', () => {
    expect(bulkRuleOf(APP_LIMITS)).toEqual({
      limits: [
        { windowMs: 1_000, max: 50 },
        { windowMs: 60_000, max: 900 },
      ],
      spacingMs: 20,
    });
    expect(bulkRuleOf([{ windowMs: 1_000, max: 1 }], 0.5)).toEqual({
      limits: [{ windowMs: 1_000, max: 1 }],
      spacingMs: 1_000,
    });
  });
});

describe('KeyedCallScheduler', () => {
  it('limits each key on its own: a busy chat does not delay another', async () => {
    const clock = new FakeClock();
    const keyed = new KeyedCallScheduler([{ windowMs: 1000, max: 5 }], { clock });
    const startedAt: Record<string, number[]> = { busy: [], quiet: [] };
    const run = (key: 'busy' | 'quiet') => keyed.run(key, async () => void startedAt[key]!.push(clock.now()));
    const calls = [...Array.from({ length: 12 }, () => run('busy')), run('quiet')];
    await settle();
    expect(startedAt.quiet).toEqual([0]);
    expect(startedAt.busy).toHaveLength(5);
    await clock.advance(2000);
    await Promise.all(calls);
    expect(startedAt.busy).toEqual([0, 0, 0, 0, 0, 1000, 1000, 1000, 1000, 1000, 2000, 2000]);
  });

  it('forgets idle keys, so memory stays bounded', async () => {
    const clock = new FakeClock();
    const keyed = new KeyedCallScheduler([{ windowMs: 1000, max: 5 }], { clock, sweepEveryMs: 10_000 });
    await Promise.all(Array.from({ length: 100 }, (_, i) => keyed.run(`chat${i}`, async () => undefined)));
    expect(keyed.size).toBe(100);
    await clock.advance(20_000);
    await keyed.run('another', async () => undefined);
    expect(keyed.size).toBe(1);
  });
});
