// Replay a recorded firing (CSV, see csv.ts) through MQTT at any speed. Readings keep their
// recorded ts_ms unless rebase_ms is given, which shifts the whole recording to start then.
import { topicFor } from '../src/wire/topics.ts';
import { parseCsv } from './csv.ts';
import type { Link } from './link.ts';

export interface ReplayOptions {
  readonly text: string;
  readonly link: Link;
  readonly speed: number;
  readonly workshop: string;
  /** Used when the CSV has no kiln column. */
  readonly kiln: string;
  readonly rebase_ms?: number;
  readonly log?: (line: string) => void;
  readonly shouldStop?: () => boolean;
}

export async function replayCsv(o: ReplayOptions): Promise<{ published: number }> {
  const rows = parseCsv(o.text).sort((a, b) => a.reading.ts_ms - b.reading.ts_ms);
  const first_ms = rows[0]?.reading.ts_ms ?? 0;
  const shift_ms = o.rebase_ms !== undefined ? o.rebase_ms - first_ms : 0;
  const kilns = [...new Set(rows.map((r) => `${r.workshop ?? o.workshop}/${r.kiln ?? o.kiln}`))];
  for (const [i, k] of kilns.entries()) {
    const [ws = o.workshop, kiln = o.kiln] = k.split('/');
    o.link.publish(i, topicFor(ws, kiln, 'status'), JSON.stringify({ v: 1, state: 'online', device: kiln }), true);
  }
  const wall0_ms = performance.now();
  let published = 0;
  for (const row of rows) {
    if (o.shouldStop?.()) break;
    const due_ms = Number.isFinite(o.speed) ? (row.reading.ts_ms - first_ms) / o.speed : 0;
    const wait_ms = due_ms - (performance.now() - wall0_ms);
    if (wait_ms > 1) await new Promise((r) => setTimeout(r, wait_ms));
    else if (published % 1000 === 0) await new Promise((r) => setImmediate(r));
    const ws = row.workshop ?? o.workshop, kiln = row.kiln ?? o.kiln;
    const reading = { ...row.reading, ts_ms: row.reading.ts_ms + shift_ms };
    o.link.publish(kilns.indexOf(`${ws}/${kiln}`), topicFor(ws, kiln, 'telemetry'), JSON.stringify({ v: 1, ...reading }));
    published += 1;
  }
  return { published };
}
