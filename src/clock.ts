/** Time, injected so tests can drive it. */
export interface Clock {
  /** Epoch milliseconds; never steps back, so rate windows stay honest if the system clock is adjusted. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.timeOrigin + performance.now(),
  // A sleeping timer never keeps the process alive on its own: the server does while it runs.
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};
