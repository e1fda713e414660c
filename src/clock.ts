/** Time, injected so tests can drive it. */
export interface Clock {
  /** Epoch milliseconds; never steps back, so rate windows stay honest if the system clock is adjusted. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
