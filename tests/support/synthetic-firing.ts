// A synthetic controller firing written straight to InfluxDB as line protocol (as the drainer
// stores readings), for the curve benchmark and the curve's integration test: zones z1..zN at
// `interval_s`, one gas flow meter, firing_start (with a schedule) and firing_stop events.
// Heating at 150 °C/h to 1,250 °C (zone k is k × 6 °C cooler, with a little deterministic ripple),
// a 30 min soak, burners off, then cooling linearly to 150 °C at the end.

export interface SyntheticFiring {
  readonly workshop: string;
  readonly kiln: string;
  readonly firing_id: string;
  readonly start_ms: number;
  readonly duration_h: number;
  readonly interval_s: number;
  readonly zones: number;
}

export interface WrittenFiring {
  readonly lines: number;
  /** The highest value written per zone. */
  readonly peaks_c: Record<string, number>;
  readonly end_ms: number;
}

const H = 3_600_000;
const PEAK_C = 1250;
const RATE_C_H = 150;

function tempAt(t_h: number, duration_h: number): { temp_c: number; burning: boolean } {
  const heat_h = (PEAK_C - 25) / RATE_C_H;
  if (t_h <= heat_h) return { temp_c: 25 + RATE_C_H * t_h, burning: true };
  if (t_h <= heat_h + 0.5) return { temp_c: PEAK_C, burning: true };
  const f = (t_h - heat_h - 0.5) / (duration_h - heat_h - 0.5);
  return { temp_c: PEAK_C - f * (PEAK_C - 150), burning: false };
}

export async function writeSyntheticFiring(influx_url: string, database: string, f: SyntheticFiring): Promise<WrittenFiring> {
  const end_ms = f.start_ms + f.duration_h * H;
  const peaks_c: Record<string, number> = {};
  const tags = (m: string, ch: string) => `${m},channel=${ch},kiln=${f.kiln},workshop=${f.workshop}`;
  const schedule = { name: 'synthetic', segments: [{ rate_c_h: RATE_C_H, target_c: PEAK_C, hold_min: 30 }] };
  const esc = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  let batch: string[] = [
    `${tags('event', 'controller')},type=firing_start data_json=${esc(JSON.stringify({ firing_id: f.firing_id, schedule }))},seq=0 ${f.start_ms}`,
  ];
  let lines = 0;
  let stopped = false;
  const flush = async () => {
    if (batch.length === 0) return;
    const res = await fetch(`${influx_url}/write?db=${encodeURIComponent(database)}&precision=ms`, { method: 'POST', body: batch.join('\n') });
    if (res.status !== 204) throw new Error(`write failed ${res.status}: ${await res.text()}`);
    lines += batch.length;
    batch = [];
  };
  let seq = 1;
  for (let t = f.start_ms; t <= end_ms; t += f.interval_s * 1000, seq++) {
    const t_h = (t - f.start_ms) / H;
    const { temp_c, burning } = tempAt(t_h, f.duration_h);
    for (let z = 1; z <= f.zones; z++) {
      const v = Math.round((temp_c - (z - 1) * 6 + 2 * Math.sin(seq / 7 + z)) * 100) / 100;
      const ch = `z${z}`;
      if (v > (peaks_c[ch] ?? -Infinity)) peaks_c[ch] = v;
      batch.push(`${tags('temperature', ch)} temp_c=${v},seq=${seq} ${t}`);
    }
    const flow = burning ? 9 + Math.sin(seq / 11) : 0;
    batch.push(`${tags('gas_flow', 'burner')} flow_kg_h=${flow.toFixed(3)},seq=${seq} ${t}`);
    if (!burning && !stopped) {
      stopped = true;
      batch.push(`${tags('event', 'controller')},type=firing_stop data_json=${esc(JSON.stringify({ firing_id: f.firing_id, reason: 'complete' }))},seq=${seq} ${t}`);
    }
    if (batch.length >= 20_000) await flush();
  }
  await flush();
  return { lines, peaks_c, end_ms };
}
