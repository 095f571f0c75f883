// aedes parses every packet of a socket read in one go and calls authorizePublish for each in
// the same turn: an outbox replayed with several 1,000-reading messages in flight was decoded and
// spooled back to back for seconds (measured: the event loop held 2.2 s, /api/health 3.5 s).
// Jobs here run in order, in turns of at most BUDGET_MS (at least one job), with a turn of the
// event loop between them, so HTTP, timers and the other clients get in. Small messages still
// go many to a turn.
const BUDGET_MS = 10;

export class TurnQueue {
  private readonly jobs: (() => void)[] = [];
  private head = 0;
  private scheduled = false;

  push(job: () => void): void {
    this.jobs.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.run());
    }
  }

  private run(): void {
    const t0 = performance.now();
    do this.jobs[this.head++]?.();
    while (this.head < this.jobs.length && performance.now() - t0 < BUDGET_MS);
    if (this.head >= this.jobs.length) {
      this.jobs.length = 0;
      this.head = 0;
      this.scheduled = false;
    } else {
      if (this.head > 1024) { this.jobs.splice(0, this.head); this.head = 0; }
      setImmediate(() => this.run()); // queued from a check-phase callback: runs after the next poll
    }
  }
}
