import { GREET_AGAIN_MS } from '../../../src/domain/rules.js';
import { SEEN_TTL_MS, Store } from '../../../src/state/sqlite/store.js';

describe('greetings in the embedded store', () => {
  it('marks a person once, and again only 30 days after the last greeting', () => {
    const store = Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS });
    expect(store.greetings.mark('ou_a', 1_000)).toBe(true);
    expect(store.greetings.mark('ou_a', 2_000)).toBe(false);
    expect(store.greetings.mark('ou_b', 2_000)).toBe(true);
    expect(store.greetings.mark('ou_a', 1_000 + GREET_AGAIN_MS - 1)).toBe(false);
    expect(store.greetings.mark('ou_a', 1_000 + GREET_AGAIN_MS)).toBe(true);
    expect(store.greetings.mark('ou_a', 1_000 + GREET_AGAIN_MS + 1)).toBe(false);
  });

  it('forgets a greeting that was released (it could not be sent)', () => {
    const store = Store.open({ path: ':memory:', now: () => 0, seenTtlMs: SEEN_TTL_MS });
    expect(store.greetings.mark('ou_a', 1_000)).toBe(true);
    store.greetings.release('ou_a');
    expect(store.greetings.mark('ou_a', 1_001)).toBe(true);
  });
});
