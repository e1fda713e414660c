import { KeyedRateLimit } from '../../src/scheduling/keyedRateLimit.js';

describe('KeyedRateLimit', () => {
  it('allows max per window per key and says how long to wait', () => {
    const r = new KeyedRateLimit({ windowMs: 60_000, max: 2 });
    expect(r.take('a', 0)).toEqual({ allowed: true });
    expect(r.take('a', 1000)).toEqual({ allowed: true });
    expect(r.take('a', 2000)).toEqual({ allowed: false, retryAfterMs: 58_000 });
    expect(r.take('b', 2000)).toEqual({ allowed: true });
    expect(r.take('a', 60_000)).toEqual({ allowed: true });
  });

  it('forgets idle keys', () => {
    const r = new KeyedRateLimit({ windowMs: 1000, max: 1 }, 1000);
    for (let i = 0; i < 50; i++) r.take(`k${i}`, 0);
    r.take('x', 5000);
    expect(r.size).toBe(1);
  });
});
