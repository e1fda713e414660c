import { SlidingWindowLog } from '../../src/scheduling/slidingWindow.js';
import { peakInWindow } from '../support/windows.js';

describe('SlidingWindowLog', () => {
  it('admits up to max at once, then only when a call completes', () => {
    const log = new SlidingWindowLog([{ windowMs: 1000, max: 3 }]);
    for (let i = 0; i < 3; i++) {
      expect(log.delayUntilAdmissible(0)).toBe(0);
      log.admit();
    }
    expect(log.delayUntilAdmissible(0)).toBe(Infinity);
  });

  it('holds a completed call’s slot for a full window after it completed', () => {
    const log = new SlidingWindowLog([{ windowMs: 1000, max: 2 }]);
    log.admit();
    log.admit();
    log.complete(300); // answered at 300 ms: Feishu may have counted it as late as 300
    expect(log.delayUntilAdmissible(300)).toBe(1000);
    log.complete(500);
    expect(log.delayUntilAdmissible(600)).toBe(700); // the first slot frees at 1300
    expect(log.delayUntilAdmissible(1299)).toBe(1);
    expect(log.delayUntilAdmissible(1300)).toBe(0);
  });

  it('needs as many expiries as calls over the limit', () => {
    const log = new SlidingWindowLog([{ windowMs: 1000, max: 3 }]);
    for (let t = 0; t < 3; t++) {
      log.admit();
      log.complete(t * 100);
    }
    // completions at 0, 100, 200: one must expire → 1000
    expect(log.delayUntilAdmissible(250)).toBe(750);
    log.admit(); // a call let in at 1000, still in flight: with 100 and 200 still counting, 100 must leave first
    expect(log.delayUntilAdmissible(1000)).toBe(100);
    log.admit();
    expect(log.delayUntilAdmissible(1000)).toBe(200); // two in flight: both 100 and 200 must leave
  });

  it('applies every window: the widest one decides once the narrow one is free', () => {
    const log = new SlidingWindowLog([
      { windowMs: 1000, max: 5 },
      { windowMs: 60_000, max: 8 },
    ]);
    for (let i = 0; i < 8; i++) {
      const t = i < 5 ? 0 : 1000;
      expect(log.delayUntilAdmissible(t)).toBe(0);
      log.admit();
      log.complete(t);
    }
    // 8 calls within the minute: the next waits until the first (completed at 0) leaves the minute window
    expect(log.delayUntilAdmissible(2000)).toBe(58_000);
    expect(log.isIdle(2000)).toBe(false);
    expect(log.isIdle(61_000)).toBe(true);
  });

  it('rejects nonsense limits and unbalanced completion', () => {
    expect(() => new SlidingWindowLog([])).toThrow();
    expect(() => new SlidingWindowLog([{ windowMs: 0, max: 1 }])).toThrow();
    expect(() => new SlidingWindowLog([{ windowMs: 1000, max: 1 }]).complete(0)).toThrow();
  });

  it('never lets more than max calls fall in any window, for random call durations', () => {
    // Simulate: calls start when admitted, and Feishu sees each at a random moment while it is in flight.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const log = new SlidingWindowLog([{ windowMs: 1000, max: 10 }]);
    const inFlight: Array<{ end: number }> = [];
    const arrivals: number[] = [];
    let now = 0;
    let started = 0;
    while (started < 500) {
      inFlight.sort((a, b) => a.end - b.end);
      while (inFlight[0] && inFlight[0].end <= now) log.complete(inFlight.shift()!.end);
      const delay = log.delayUntilAdmissible(now);
      if (delay === 0) {
        log.admit();
        const duration = Math.floor(random() * 400);
        arrivals.push(now + Math.floor(random() * duration));
        inFlight.push({ end: now + duration });
        started++;
      } else {
        now = delay === Infinity ? inFlight[0]!.end : now + delay;
      }
    }
    expect(peakInWindow(arrivals, 1000)).toBeLessThanOrEqual(10);
  });
});
