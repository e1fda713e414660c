import { systemClock, type Clock } from '../../src/domain/clock.js';

/**
 * The system clock, except that the sleeps `holds` picks (by their length)
 * last until the test wakes them: a deadline that runs out when the test
 * says so, not after a wall-clock time the test must outrun.
 */
export class HeldClock implements Clock {
  private held: Array<{ ms: number; wake: () => void }> = [];

  constructor(private readonly holds: (ms: number) => boolean) {}

  now(): number {
    return systemClock.now();
  }

  sleep(ms: number): Promise<void> {
    if (!this.holds(ms)) return systemClock.sleep(ms);
    return new Promise((wake) => this.held.push({ ms, wake }));
  }

  /** The lengths of the sleeps held now. */
  get sleeping(): number[] {
    return this.held.map((h) => h.ms);
  }

  /** Ends every held sleep now, as if its time had passed; how many there were. */
  wakeAll(): number {
    const held = this.held;
    this.held = [];
    for (const h of held) h.wake();
    return held.length;
  }
}
