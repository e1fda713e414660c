/** Work started in the background (a refusal's reply, a late card update), so idle and shutdown can wait for it. */
export class Jobs {
  private readonly running = new Set<Promise<unknown>>();

  track(job: Promise<unknown>): void {
    this.running.add(job);
    const forget = () => this.running.delete(job);
    job.then(forget, forget);
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves when every job tracked so far has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
