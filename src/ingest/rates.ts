// Ingest rates over a sliding window, sampled once a second, for /api/health; each sample is
// also handed to whoever listens (the memory release after a burst, src/memory-release.ts).
import type { IngestStats } from './stats.ts';

/** A sample: when, and the readings accepted since start. */
export type RateListener = (t_ms: number, accepted: number) => void;

const WINDOW_S = 10;

export class RateMeter {
  private samples: { t_ms: number; received: number; stored: number }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: RateListener[] = [];

  constructor(private readonly stats: IngestStats) {}

  onSample(listener: RateListener): void {
    this.listeners.push(listener);
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  rates(): { accepted_readings_s: number; stored_readings_s: number } {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.t_ms === first.t_ms) return { accepted_readings_s: 0, stored_readings_s: 0 };
    const dt_s = (last.t_ms - first.t_ms) / 1000;
    return {
      accepted_readings_s: Math.round((last.received - first.received) / dt_s),
      stored_readings_s: Math.round((last.stored - first.stored) / dt_s),
    };
  }

  private sample(): void {
    const t_ms = Date.now(), received = this.stats.readings_accepted;
    this.samples.push({ t_ms, received, stored: this.stats.readings_stored });
    if (this.samples.length > WINDOW_S + 1) this.samples.shift();
    for (const l of this.listeners) l(t_ms, received);
  }
}
