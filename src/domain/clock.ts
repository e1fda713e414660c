/** Time, injected so tests can drive it. */
export interface Clock {
  /** Epoch milliseconds (the throttle guards itself against a clock that steps back). */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  // A sleeping timer never keeps the process alive on its own: the server does while it runs.
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
};
