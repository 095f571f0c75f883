// A background job run in passes (the firing indexer, the downsampler): a pass every interval,
// counted from the end of the last one; passes never overlap, whether the timer or a caller
// (tests, benchmarks) starts them; stop() waits for the pass in progress, which reads stopped()
// to end early.
export class PeriodicPass {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private chain: Promise<void> = Promise.resolve();
  private done = false;

  constructor(private readonly once: () => Promise<void>, private readonly interval_ms: number) {}

  /** The first pass after first_ms (the interval when absent), then one every interval. */
  start(first_ms = this.interval_ms): void {
    const tick = () => {
      if (this.done) return;
      this.running = this.run().finally(() => {
        this.running = null;
        if (!this.done) this.timer = setTimeout(tick, this.interval_ms).unref();
      });
    };
    this.timer = setTimeout(tick, first_ms).unref();
  }

  async stop(): Promise<void> {
    this.done = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  stopped(): boolean {
    return this.done;
  }

  /** One pass, after any pass in progress. */
  run(): Promise<void> {
    const next = this.chain.then(() => this.once());
    this.chain = next.catch(() => undefined);
    return next;
  }
}
