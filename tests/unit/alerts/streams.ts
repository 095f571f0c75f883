// Hand-made fixture streams (one reading per 10 s of device time) for each rule, with the raise
// and clear instants worked out by hand in the comments: rules.test.ts checks those instants,
// fold-all.test.ts that folding them a message at a time gives what point by point gives.
import type { AlertSettingsPatch } from '../../../src/domain/alerts/index.ts';
import type { Point } from '../../../src/domain/point.ts';

export const T0 = Date.parse('2025-12-01T00:00:00Z');
export const at = (s: number) => T0 + s * 1000;
const tags = (channel: string, type?: string) => ({ workshop: 'w1', kiln: 'k1', channel, ...(type ? { type } : {}) });

export interface Sample { temps?: Record<string, number>; gas?: number; o2?: number; mass?: number }
/** Points every 10 s from 0 to end_s (inclusive); sample(t) gives what is read at second t. */
export function stream(end_s: number, sample: (t: number) => Sample, events: Point[] = []): Point[] {
  const out: Point[] = [...events];
  for (let t = 0; t <= end_s; t += 10) {
    const x = sample(t);
    for (const [ch, v] of Object.entries(x.temps ?? {})) out.push({ measurement: 'temperature', tags: tags(ch), fields: { temp_c: v }, ts_ms: at(t) });
    if (x.gas !== undefined) out.push({ measurement: 'gas_flow', tags: tags('burner'), fields: { flow_kg_h: x.gas }, ts_ms: at(t) });
    if (x.o2 !== undefined) out.push({ measurement: 'oxygen', tags: tags('flue'), fields: { o2_pct: x.o2 }, ts_ms: at(t) });
    if (x.mass !== undefined) out.push({ measurement: 'gas_scale', tags: tags('scale'), fields: { mass_kg: x.mass }, ts_ms: at(t) });
  }
  return out.sort((a, b) => a.ts_ms - b.ts_ms);
}
export const firingStart = (schedule?: object): Point => ({ measurement: 'event', tags: tags('controller', 'firing_start'), fields: { seq: 0, data_json: JSON.stringify({ firing_id: 'F1', ...(schedule ? { schedule } : {}) }) }, ts_ms: at(0) });
export const FIXTURE_CASES: { name: string; points: Point[]; patch?: AlertSettingsPatch; expected: string[] }[] = [
  {
    // No schedule: target = max_temp_c 1000, raise above 1030 for 120 s, clear below 1015 for 300 s.
    // 1040 from 100 s: breach at 100, raised at 220. 1020 (between) from 400: neither. 1000 from 600: cleared at 900.
    name: 'over_temp', patch: { max_temp_c: 1000 },
    points: stream(1200, (t) => ({ temps: { top: t < 100 ? 1000 : t < 400 ? 1040 : t < 600 ? 1020 : 1000 } })),
    expected: [`raised over_temp:kiln @${at(220)}`, `cleared over_temp:kiln @${at(900)}`],
  },
  {
    // 30 °C + 0.5 °C per 10 s = 180 °C/h from 0 s, exactly, once half the 600 s window exists (300 s): breach from
    // 300, raised 600 s later at 900. T reaches 200 °C (leaves water smoking) at 3400 s: ok from 3400, cleared at 3700.
    name: 'rate_too_fast, water smoking',
    points: stream(4000, (t) => ({ temps: { top: 30 + t / 20 } })),
    expected: [`raised rate_too_fast:water_smoking @${at(900)}`, `cleared rate_too_fast:water_smoking @${at(3700)}`],
  },
  {
    // Rising 100 °C/h from 300 °C, burners at 10 kg/h (a detected firing from 300 s), then from 3600 s falling
    // 120 °C/h with the burners still at 10 kg/h. The rate is taken from the snapshot (every 60 s) at or before
    // t − 600 s: with x = t − 3600 and d = 600 + (x mod 60), rate = (100 d − 220 x) / d ≤ −50 first at x = 420
    // (x = 400: d 640 needs x ≥ 436; x = 410: d 650 needs 443; x = 420: d 600 needs 409). Breach from 4020 s,
    // raised 300 s later at 4320.
    name: 'stall, temperature falling with gas on',
    points: stream(4800, (t) => ({ temps: { top: t <= 3600 ? 300 + t / 36 : 400 - (t - 3600) / 30 }, gas: 10 })),
    expected: [`raised stall:temperature @${at(4320)}`],
  },
  {
    // Controller firing with flue O2 4 % at 800 °C; from 600 s O2 19.5 % with gas on: raised at 660 (60 s).
    // O2 back to 4 % at 1200: ok, cleared 600 s later at 1800.
    name: 'stall, flame-out by flue O2',
    points: stream(2400, (t) => ({ temps: { top: 800 }, gas: 10, o2: t >= 600 && t < 1200 ? 19.5 : 4 }), [firingStart()]),
    expected: [`raised stall:flame @${at(660)}`, `cleared stall:flame @${at(1800)}`],
  },
  {
    // Zone z2 silent from 600 s (last heard at 590) while z1 reports: 120 s at 710, raised then. Back at 1200: cleared at 1500.
    name: 'tc_fault, open thermocouple',
    points: stream(1800, (t) => ({ temps: { z1: 500, ...(t < 600 || t >= 1200 ? { z2: 510 } : {}) } })),
    expected: [`raised tc_fault:z2 @${at(710)}`, `cleared tc_fault:z2 @${at(1500)}`],
  },
  {
    // 500 °C, then 700 °C from 300 s: a 200 °C jump in 10 s, raised at 300; no jump from 310: cleared 300 s later at 610.
    name: 'tc_fault, implausible jump',
    points: stream(900, (t) => ({ temps: { z1: t < 300 ? 500 : 700 } })),
    expected: [`raised tc_fault:z1-jump @${at(300)}`, `cleared tc_fault:z1-jump @${at(610)}`],
  },
  {
    // Two zones 110 °C apart from 200 s (breach > 100; z2's 100 °C step is not beyond jump_c): raised 600 s later at 800;
    // 60 °C apart from 1500 (ok < 80): cleared at 1800.
    name: 'tc_fault, zones disagree',
    points: stream(2100, (t) => ({ temps: { z1: 600, z2: t < 200 ? 590 : t < 1500 ? 490 : 540 } })),
    expected: [`raised tc_fault:spread @${at(800)}`, `cleared tc_fault:spread @${at(1800)}`],
  },
  {
    // 0.5 kg/h (below the 1 kg/h that starts a detected firing) into a cold kiln: raised at 600; off at 1000: cleared at 1120.
    name: 'gas_idle',
    points: stream(1500, (t) => ({ temps: { top: 25 }, gas: t < 1000 ? 0.5 : 0 })),
    expected: [`raised gas_idle:gas @${at(600)}`, `cleared gas_idle:gas @${at(1120)}`],
  },
  {
    // Tare 76 kg: 4 kg left (between 3 and 6) until 300 s, 2.5 kg from 300: raised at 420 (120 s); a fresh bank at 1000: cleared at 1060.
    name: 'cylinder_low', patch: { scale_tare_kg: 76 },
    points: stream(1300, (t) => ({ temps: { top: 900 }, mass: t < 300 ? 80 : t < 1000 ? 78.5 : 172 })),
    expected: [`raised cylinder_low:scale @${at(420)}`, `cleared cylinder_low:scale @${at(1060)}`],
  },
  {
    // Schedule 100 °C/h to 500 °C; the kiln follows from 100 °C (setpoint sp = 100 + t/36) to 150 °C at 1800 s, then falls
    // 1 °C per 10 s to 90 °C. The setpoint waits once the kiln is 20 °C behind: at 1960 (T 134 < 154.17 − 20) it stays at
    // 154.17 (its value at 1950). |T − sp| > 50 first at 2260 (T 104; 2250: T 105, 49.2): raised 900 s later at 3160.
    name: 'off_schedule',
    points: stream(3300, (t) => ({ temps: { top: t <= 1800 ? 100 + t / 36 : Math.max(90, 150 - (t - 1800) / 10) } }), [firingStart({ segments: [{ rate_c_h: 100, target_c: 500, hold_min: 0 }] })]),
    expected: [`raised off_schedule:kiln @${at(3160)}`],
  },
];
