import type { Lane } from '../../src/queue/fairQueue.js';
import { APP_LIMITS, KeyedThrottle, Throttle } from '../../src/throttle/throttle.js';
import { FakeClock, settle } from '../support/fakeClock.js';
import { peakInWindow } from '../support/windows.js';

describe('Throttle (fake clock)', () => {
  it('starts 50 calls at once, the next 50 one window after the first ones completed', async () => {
    const clock = new FakeClock();
    const throttle = new Throttle([{ windowMs: 1000, max: 50 }], clock);
    const startedAt: number[] = [];
    const calls = Array.from({ length: 120 }, () =>
      throttle.run(async () => {
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
    const throttle = new Throttle([{ windowMs: 1000, max: 2 }], clock);
    const startedAt: number[] = [];
    const slow = () =>
      throttle.run(async () => {
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
    const throttle = new Throttle([{ windowMs: 1000, max: 1 }], clock);
    const order: string[] = [];
    const job = (name: string, lane: Lane) => throttle.run(async () => void order.push(name), lane);
    const all = [
      job('w1', { cls: 'watch', chat: 'oc_w', person: 'ou_w' }),
      job('a1', { cls: 'bulk', chat: 'oc_a', person: 'ou_a' }),
      job('a2', { cls: 'bulk', chat: 'oc_a', person: 'ou_a' }),
      job('b1', { cls: 'bulk', chat: 'oc_b', person: 'ou_b' }),
      job('p1', { cls: 'person', chat: 'oc_p', person: 'ou_p' }),
    ];
    await clock.advance(10_000);
    await Promise.all(all);
    // w1 was alone when it came, so it went at once; then the person, then bulk across chats, then the rest.
    expect(order).toEqual(['w1', 'p1', 'a1', 'b1', 'a2']);
  });

  it('frees the slot when the call throws, and passes the error on', async () => {
    const clock = new FakeClock();
    const throttle = new Throttle([{ windowMs: 1000, max: 1 }], clock);
    await expect(throttle.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    const next = throttle.run(async () => clock.now());
    await clock.advance(1000);
    await expect(next).resolves.toBe(1000);
  });

  it('keeps a failed call’s slot longer when told to', async () => {
    const clock = new FakeClock();
    const throttle = new Throttle([{ windowMs: 1000, max: 1 }], clock, () => 2000);
    await expect(throttle.run(async () => Promise.reject(new Error('timed out')))).rejects.toThrow();
    const next = throttle.run(async () => clock.now());
    await clock.advance(3000);
    await expect(next).resolves.toBe(3000);
  });

  it('holds Feishu’s real limits in every 1 s and 60 s window, for 1,200 calls of random duration', async () => {
    const clock = new FakeClock();
    const throttle = new Throttle(APP_LIMITS, clock);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const arrivals: number[] = [];
    const calls = Array.from({ length: 1200 }, () =>
      throttle.run(async () => {
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

describe('KeyedThrottle', () => {
  it('limits each key on its own: a busy chat does not delay another', async () => {
    const clock = new FakeClock();
    const keyed = new KeyedThrottle([{ windowMs: 1000, max: 5 }], clock);
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
    const keyed = new KeyedThrottle([{ windowMs: 1000, max: 5 }], clock, () => 0, 10_000);
    await Promise.all(Array.from({ length: 100 }, (_, i) => keyed.run(`chat${i}`, async () => undefined)));
    expect(keyed.size).toBe(100);
    await clock.advance(20_000);
    await keyed.run('another', async () => undefined);
    expect(keyed.size).toBe(1);
  });
});
