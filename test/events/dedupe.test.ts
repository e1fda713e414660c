import { DEDUPE_TTL_MS, Deduplicator } from '../../src/events/dedupe.js';

describe('Deduplicator', () => {
  it('catches a redelivery by event_id or by message_id', () => {
    let now = 0;
    const d = new Deduplicator({ ttlMs: DEDUPE_TTL_MS, maxEntries: 100, now: () => now });
    expect(d.seenBefore(['event:1', 'message:a'])).toBe(false);
    expect(d.seenBefore(['event:1', 'message:a'])).toBe(true);
    expect(d.seenBefore(['event:2', 'message:a'])).toBe(true);
    expect(d.seenBefore(['event:1', 'message:b'])).toBe(true);
    now = 6 * 60 * 60 * 1000 + 15_000; // Feishu's last retry, 6 h after the 1 h one
    expect(d.seenBefore(['event:1', 'message:a'])).toBe(true);
  });

  it('lasts longer than Feishu’s retries and forgets afterwards', () => {
    expect(DEDUPE_TTL_MS).toBeGreaterThan(7.1 * 60 * 60 * 1000);
    let now = 0;
    const d = new Deduplicator({ ttlMs: DEDUPE_TTL_MS, maxEntries: 100, now: () => now });
    d.seenBefore(['event:1']);
    now = DEDUPE_TTL_MS + 1;
    expect(d.seenBefore(['event:1'])).toBe(false);
  });

  it('stays within its size bound, dropping the oldest', () => {
    const d = new Deduplicator({ ttlMs: DEDUPE_TTL_MS, maxEntries: 10, now: () => 0 });
    for (let i = 0; i < 100; i++) d.seenBefore([`k${i}`]);
    expect(d.size).toBe(10);
    expect(d.seenBefore(['k99'])).toBe(true);
    expect(d.seenBefore(['k0'])).toBe(false);
  });
});
