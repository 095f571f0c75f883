// CSV of telemetry, one row per reading: what the service should have received. The same
// format is read back by replay (--replay), so a recorded firing can be played at any speed.
// Columns: workshop,kiln,ts_ms,seq,temp_<zone>...,flow_kg_h,total_kg,rollover_at,mass_kg,o2_pct,damper_pct
import type { TelemetryReading } from '../src/wire/telemetry.ts';
import type { Outgoing } from './model/device.ts';

const TAIL = ['flow_kg_h', 'total_kg', 'rollover_at', 'mass_kg', 'o2_pct', 'damper_pct'] as const;

export function csvHeader(zones: readonly string[]): string[] {
  return ['workshop', 'kiln', 'ts_ms', 'seq', ...zones.map((z) => `temp_${z}`), ...TAIL];
}

function row(header: readonly string[], workshop: string, kiln: string, r: TelemetryReading): string {
  const g = r.gas ?? {};
  const vals: Record<string, number | string | undefined> = {
    workshop, kiln, ts_ms: r.ts_ms, seq: r.seq, o2_pct: r.o2_pct, damper_pct: r.damper_pct,
  };
  for (const [z, v] of Object.entries(r.temp_c ?? {})) vals[`temp_${z}`] = v;
  for (const ch of Object.values(g)) {
    if (ch.kind === 'flow') vals.flow_kg_h = ch.flow_kg_h;
    if (ch.kind === 'totalizer') { vals.total_kg = ch.total_kg; vals.rollover_at = ch.rollover_at; }
    if (ch.kind === 'scale') vals.mass_kg = ch.mass_kg;
  }
  return header.map((h) => (vals[h] === undefined ? '' : String(vals[h]))).join(',');
}

/** A sink for the runner that writes CSV lines of every well-formed telemetry reading. */
export function csvSink(zones: readonly string[], write: (line: string) => void): (topic: string, out: Outgoing) => void {
  const header = csvHeader(zones);
  write(header.join(','));
  return (topic, out) => {
    if (out.kind !== 'telemetry') return;
    let msg: { readings?: TelemetryReading[] } & TelemetryReading;
    try { msg = JSON.parse(out.payload) as typeof msg; } catch { return; } // malformed on purpose: not data
    const [, , workshop = '', kiln = ''] = topic.split('/');
    for (const r of msg.readings ?? [msg]) write(row(header, workshop, kiln, r));
  };
}

export interface CsvRow {
  readonly workshop?: string;
  readonly kiln?: string;
  readonly reading: TelemetryReading;
}

/** Parse a CSV written by csvSink (or by hand with the same column names). */
export function parseCsv(text: string): CsvRow[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = (lines.shift() ?? '').split(',').map((h) => h.trim());
  if (!header.includes('ts_ms')) throw new Error('CSV: the header must have a ts_ms column');
  return lines.map((line, n) => {
    const cells = line.split(',');
    const get = (name: string) => { const i = header.indexOf(name); const c = i >= 0 ? cells[i]?.trim() : undefined; return c === '' ? undefined : c; };
    const num = (name: string) => { const v = get(name); if (v === undefined) return undefined; const x = Number(v); if (!Number.isFinite(x)) throw new Error(`CSV line ${n + 2}: ${name} "${v}" is not a number`); return x; };
    const ts_ms = num('ts_ms');
    if (ts_ms === undefined) throw new Error(`CSV line ${n + 2}: ts_ms is empty`);
    const r: TelemetryReading = { ts_ms, seq: num('seq') ?? n };
    const temp_c: Record<string, number> = {};
    for (const h of header) if (h.startsWith('temp_')) { const v = num(h); if (v !== undefined) temp_c[h.slice(5)] = v; }
    if (Object.keys(temp_c).length) r.temp_c = temp_c;
    const gas: NonNullable<TelemetryReading['gas']> = {};
    const flow = num('flow_kg_h'), total = num('total_kg'), roll = num('rollover_at'), mass = num('mass_kg');
    if (flow !== undefined) gas.burner = { kind: 'flow', flow_kg_h: flow };
    if (total !== undefined) gas.meter = { kind: 'totalizer', total_kg: total, ...(roll !== undefined ? { rollover_at: roll } : {}) };
    if (mass !== undefined) gas.scale = { kind: 'scale', mass_kg: mass };
    if (Object.keys(gas).length) r.gas = gas;
    const o2 = num('o2_pct'), damper = num('damper_pct');
    if (o2 !== undefined) r.o2_pct = o2;
    if (damper !== undefined) r.damper_pct = damper;
    return { workshop: get('workshop'), kiln: get('kiln'), reading: r };
  });
}
