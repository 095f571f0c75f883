// Each fault shows its documented signature (docs/simulator.md, "Faults").
import { describe, expect, it } from 'vitest';
import { CYLINDER_TARE_KG } from '../../../simulator/model/gas.ts';
import { parseFaultFlag, UPSCALE_READING_C } from '../../../simulator/model/faults.ts';
import { KILNS } from '../../../simulator/model/presets.ts';
import { readings, runFleet, T0_MS, type Msg } from './fleet-helpers.ts';

const H = 3_600_000;
const after = (h: number) => (r: { ts_ms: number }) => r.ts_ms >= T0_MS + h * H;
const payloads = (msgs: Msg[]) => msgs.flatMap((m) => (m.out.kind === 'link' ? [] : [m.out.payload]));

describe('fault signatures', () => {
  const clean = readings(runFleet({ hours: 8 }).msgs);

  it('tc_open (drop): the zone disappears from the readings; (upscale): it reads 5,000 °C', () => {
    const dropped = readings(runFleet({ hours: 3, faults: [{ type: 'tc_open', zone: 'top', at_h: 2 }] }).msgs);
    expect(dropped.filter(after(2)).every((r) => r.temp_c?.top === undefined && r.temp_c?.bottom !== undefined)).toBe(true);
    const up = readings(runFleet({ hours: 3, faults: [{ type: 'tc_open', mode: 'upscale', at_h: 2 }] }).msgs);
    expect(up.filter(after(2)).every((r) => r.temp_c?.top === UPSCALE_READING_C)).toBe(true);
  });

  it('tc_drift: the zone departs from its true value at rate_c_h, the others do not', () => {
    const drift = readings(runFleet({ hours: 8, faults: [{ type: 'tc_drift', zone: 'top', rate_c_h: -10, at_h: 4 }] }).msgs);
    const last = drift.length - 1;
    expect((drift[last]?.temp_c?.top ?? 0) - (clean[last]?.temp_c?.top ?? 0)).toBeCloseTo(-40, 0);
    expect(drift[last]?.temp_c?.bottom).toBe(clean[last]?.temp_c?.bottom);
  });

  it('flame_out: gas keeps flowing (the controller opens up), temperature falls, O2 near air', () => {
    const r = readings(runFleet({ hours: 13, faults: [{ type: 'flame_out', at_h: 12, duration_min: 60 }] }).msgs).filter(after(12.05));
    const first = r[0], end = r[r.length - 1];
    expect(end!.temp_c!.top!).toBeLessThan(first!.temp_c!.top! - 50);
    expect(end!.gas!.burner!.flow_kg_h!).toBeGreaterThan(0.9 * KILNS.k3_5!.max_flow_kg_h);
    expect(end!.o2_pct!).toBeGreaterThan(18);
  });

  it('gas_out: the scale runs down to the cylinders\' tare, then flow stops and the kiln cools', () => {
    const r = readings(runFleet({ hours: 16, faults: [{ type: 'gas_out', at_h: 8 }] }).msgs);
    const end = r[r.length - 1]!;
    expect(end.gas!.burner!.flow_kg_h!).toBeLessThan(0.5);
    expect(end.gas!.scale!.mass_kg!).toBeLessThan(KILNS.k3_5!.cylinders * CYLINDER_TARE_KG + 1.5);
    const peak = Math.max(...r.map((x) => x.temp_c?.top ?? 0));
    expect(end.temp_c!.top!).toBeLessThan(peak - 50);
  });

  it('silent: no telemetry in the window, then readings resume; silent zone: only that zone missing', () => {
    const { msgs } = runFleet({ hours: 3, faults: [{ type: 'silent', at_h: 1, duration_min: 60 }] });
    const r = readings(msgs);
    expect(r.filter((x) => x.ts_ms >= T0_MS + H && x.ts_ms < T0_MS + 2 * H)).toEqual([]);
    expect(r.filter(after(2)).length).toBeGreaterThan(50);
  });

  it('net_cut: nothing during the cut; on reconnect online status, then the outbox as batches with original ts_ms and seq', () => {
    const { msgs } = runFleet({ hours: 3, faults: [{ type: 'net_cut', at_h: 1, duration_min: 60 }] });
    const down = msgs.findIndex((m) => m.out.kind === 'link' && !m.out.up);
    const up = msgs.findIndex((m) => m.out.kind === 'link' && m.out.up);
    expect(up).toBe(down + 1); // nothing was sent in between
    expect(JSON.parse((msgs[up + 1]!.out as { payload: string }).payload).state).toBe('online');
    const batch = JSON.parse((msgs[up + 2]!.out as { payload: string }).payload);
    expect(batch.readings.length).toBe(60); // one per minute for the hour
    expect(batch.readings[0].ts_ms).toBe(T0_MS + H);
    const seqs = readings(msgs).map((x) => x.seq);
    expect(new Set(seqs).size).toBe(seqs.length); // nothing lost, nothing twice
  });

  it('duplicate: some payloads arrive twice in a row', () => {
    const p = payloads(runFleet({ hours: 2, faults: [{ type: 'duplicate', at_h: 1, prob: 0.3 }] }).msgs);
    expect(p.filter((x, i) => x === p[i - 1]).length).toBeGreaterThan(5);
  });

  it('reorder: seq numbers arrive out of order', () => {
    const seqs = readings(runFleet({ hours: 2, faults: [{ type: 'reorder', at_h: 1, prob: 0.3 }] }).msgs).map((x) => x.seq);
    expect(seqs.filter((s, i) => i > 0 && s < (seqs[i - 1] ?? 0)).length).toBeGreaterThan(3);
  });

  it('malformed: some payloads are cut short, carry NaN or a string timestamp', () => {
    const p = payloads(runFleet({ hours: 2, faults: [{ type: 'malformed', at_h: 1, prob: 0.5 }] }).msgs);
    const broken = p.filter((x) => { try { const j = JSON.parse(x); return typeof j.ts_ms === 'string'; } catch { return true; } });
    expect(broken.length).toBeGreaterThan(10);
  });

  it('clock_skew: device time = simulated time + offset + drift', () => {
    const r = readings(runFleet({ hours: 2, faults: [{ type: 'clock_skew', at_h: 1, offset_s: -7200 }] }).msgs);
    const ts = r.map((x) => x.ts_ms);
    expect(ts.some((t, i) => i > 0 && t < (ts[i - 1] ?? 0) - 7000 * 1000)).toBe(true); // jumps back two hours
  });

  it('clear ends a running fault', () => {
    const r = readings(runFleet({ hours: 3, faults: [{ type: 'silent', at_h: 1 }, { type: 'clear', at_h: 2 }] }).msgs);
    expect(r.filter(after(2)).length).toBeGreaterThan(50);
  });

  it('--fault flag errors are one line naming the problem', () => {
    expect(parseFaultFlag('type=flame_out,kiln=2,at_h=10').ok).toBe(true);
    const bad = parseFaultFlag('type=smoke');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^--fault "type=smoke": type: /);
  });
});
