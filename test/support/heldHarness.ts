import { GatedOpenApi } from './gatedOpenApi.js';
import { APP, startHarness, type Harness } from './harness.js';
import { HeldClock } from './heldClock.js';

/** A card callback's time to answer in these tests; only its sleeps are held. */
const CALLBACK_BUDGET_MS = 2_345;

/**
 * A harness whose card callbacks run out of time when a test says so (and
 * never otherwise: `clock.wakeAll()`), on a fake Open API that can hold
 * read_user calls on their way (`fake.hold`, `fake.release`).
 */
export function heldHarness() {
  const clock = new HeldClock((ms) => ms === CALLBACK_BUDGET_MS);
  const fake = new GatedOpenApi({ ...APP });
  return {
    clock,
    fake,
    start: async (): Promise<Harness> => {
      await fake.listen();
      return startHarness({ callbackBudgetMs: CALLBACK_BUDGET_MS, clock, existingFake: fake });
    },
    close: async (h: Harness): Promise<void> => {
      await h.close();
      await fake.close();
    },
  };
}
