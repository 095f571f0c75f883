// Loss accounting for the fleet benchmark, pure: how many points each acknowledged message must
// leave in InfluxDB (docs/influx.md: one point per channel value, measurement by quantity), and
// the comparison of what the broker acknowledged with what was counted in the database.

/** The field counted per measurement: present in every point of that measurement. */
export const COUNT_FIELD = {
  temperature: 'temp_c', gas_flow: 'flow_kg_h', gas_total: 'total_kg', gas_scale: 'mass_kg',
  kiln_pressure: 'pressure_pa', oxygen: 'o2_pct', damper: 'damper_pct', event: 'seq',
} as const;
export type Measurement = keyof typeof COUNT_FIELD;
export type Counts = Partial<Record<Measurement, number>>;

const GAS_MEASUREMENT: Record<string, Measurement> = { flow: 'gas_flow', totalizer: 'gas_total', scale: 'gas_scale' };

/** Points one acknowledged message must leave: a telemetry message (one reading, or a batch under
 *  `readings`) one per zone, gas meter, pressure, O₂ and damper value; an event one; a status none. */
export function pointsOfMessage(topic: string, payload: string): Counts {
  const kind = topic.slice(topic.lastIndexOf('/') + 1);
  if (kind === 'event') return { event: 1 };
  if (kind !== 'telemetry') return {};
  const msg = JSON.parse(payload) as Record<string, unknown> & { readings?: Record<string, unknown>[] };
  const out: Counts = {};
  for (const r of msg.readings ?? [msg]) addCounts(out, pointsOfReading(r));
  return out;
}

function pointsOfReading(r: Record<string, unknown>): Counts {
  const out: Counts = {};
  const add = (m: Measurement, n: number) => { if (n > 0) out[m] = (out[m] ?? 0) + n; };
  add('temperature', Object.keys((r.temp_c as object | undefined) ?? {}).length);
  for (const g of Object.values((r.gas as Record<string, { kind?: string }> | undefined) ?? {})) {
    const m = GAS_MEASUREMENT[g.kind ?? ''];
    if (m) add(m, 1);
  }
  if (typeof r.pressure_pa === 'number') add('kiln_pressure', 1);
  if (typeof r.o2_pct === 'number') add('oxygen', 1);
  if (typeof r.damper_pct === 'number') add('damper', 1);
  return out;
}

export function addCounts(into: Counts, more: Counts): Counts {
  for (const [m, n] of Object.entries(more) as [Measurement, number][]) into[m] = (into[m] ?? 0) + n;
  return into;
}

export const total = (c: Counts): number => Object.values(c).reduce((a, b) => a + (b ?? 0), 0);

export interface LossReport {
  readonly acked: number;
  readonly stored: number;
  /** Acknowledged points not found (missing ones only: a measurement with more stored than acked does not hide another's loss). */
  readonly lost: number;
  /** Stored beyond what was acknowledged (e.g. a message stored whose PUBACK was lost): not a loss. */
  readonly extra: number;
  readonly by_measurement: readonly { measurement: Measurement; acked: number; stored: number }[];
  readonly nothing_lost: boolean;
}

export function lossOf(acked: Counts, stored: Counts): LossReport {
  const names = [...new Set([...Object.keys(acked), ...Object.keys(stored)])].sort() as Measurement[];
  const by_measurement = names.map((m) => ({ measurement: m, acked: acked[m] ?? 0, stored: stored[m] ?? 0 }));
  const lost = by_measurement.reduce((a, r) => a + Math.max(0, r.acked - r.stored), 0);
  const extra = by_measurement.reduce((a, r) => a + Math.max(0, r.stored - r.acked), 0);
  return { acked: total(acked), stored: total(stored), lost, extra, by_measurement, nothing_lost: lost === 0 };
}
