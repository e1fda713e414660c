import { localBudgets } from '../../src/scheduling/budget.js';
import { budgetRates, localRates, type Rates } from '../../src/scheduling/rates.js';
import { FakeClock } from '../support/fakeClock.js';

const PER_MINUTE = { windowMs: 60_000, max: 3 };

async function takes(rates: Rates, key: string, n: number) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await rates.take(key, PER_MINUTE));
  return out;
}

describe('localRates', () => {
  it('allows `max` a window per key, says how long to wait, and allows again once the window has slid', async () => {
    const clock = new FakeClock(0);
    const rates = localRates(clock);
    expect((await takes(rates, 'ou_a', 3)).every((d) => d.allowed)).toBe(true);
    await clock.advance(10);
    expect(await rates.take('ou_a', PER_MINUTE)).toEqual({ allowed: false, retryAfterMs: 59_990 });
    expect(await rates.take('ou_b', PER_MINUTE)).toEqual({ allowed: true });
    expect(await rates.take('ou_a', { windowMs: 60_000, max: 10 })).toEqual({ allowed: true }); // another limit counts apart
    await clock.advance(60_000);
    expect(await rates.take('ou_a', PER_MINUTE)).toEqual({ allowed: true });
  });
});

describe('budgetRates', () => {
  it('counts one attempt a slot, given back at once, on whatever budgets it is given', async () => {
    const clock = new FakeClock(0);
    const logs = new Map<string, ReturnType<ReturnType<typeof localBudgets>>>();
    const shared = localBudgets(clock);
    // Budgets keyed by name, as the Redis ones are (there the key is the sorted set).
    const rates = budgetRates((name, limits) => logs.get(name) ?? logs.set(name, shared(name, limits)).get(name)!);
    expect((await takes(rates, 'ou_a', 3)).every((d) => d.allowed)).toBe(true);
    const refused = await rates.take('ou_a', PER_MINUTE);
    expect(refused).toEqual({ allowed: false, retryAfterMs: 60_000 });
    expect(await rates.take('ou_b', PER_MINUTE)).toEqual({ allowed: true });
  });
});
