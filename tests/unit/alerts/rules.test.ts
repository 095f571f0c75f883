// Each rule on a hand-made fixture stream (one reading per 10 s of device time), with the raise
// and clear instants worked out by hand in the comments. An instant is judged when the next one
// arrives (replay.ts flushes the last), and a transition is dated at the instant that caused it.
import { describe, expect, it } from 'vitest';
import { alertSettings, initialKilnAlerts, stepAlerts, tickAlerts, type AlertSettingsPatch } from '../../../src/domain/alerts/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { brief, replay } from './replay.ts';

const T0 = Date.parse('2025-12-01T00:00:00Z');
const at = (s: number) => T0 + s * 1000;
const tags = (channel: string, type?: string) => ({ workshop: 'w1', kiln: 'k1', channel, ...(type ? { type } : {}) });

interface Sample { temps?: Record<string, number>; gas?: number; o2?: number; mass?: number }
/** Points every 10 s from 0 to end_s (inclusive); sample(t) gives what is read at second t. */
function stream(end_s: number, sample: (t: number) => Sample, events: Point[] = []): Point[] {
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
const firingStart = (schedule?: object): Point => ({ measurement: 'event', tags: tags('controller', 'firing_start'), fields: { seq: 0, data_json: JSON.stringify({ firing_id: 'F1', ...(schedule ? { schedule } : {}) }) }, ts_ms: at(0) });
const run = (points: Point[], patch: AlertSettingsPatch = {}) => brief(replay(points, alertSettings(patch)).transitions);

describe('alert rules on fixture streams: raised and cleared at the hand-worked instants', () => {
  const cases: { name: string; points: Point[]; patch?: AlertSettingsPatch; expected: string[] }[] = [
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

  it.each(cases)('$name', ({ points, patch, expected }) => {
    expect(run(points, patch)).toEqual(expected);
  });

  it('the same stream in any order within an instant, and replayed twice, gives the same transitions (device time only)', () => {
    const c = cases[0]!;
    const shuffled = [...c.points].sort((a, b) => a.ts_ms - b.ts_ms || b.tags.channel.localeCompare(a.tags.channel));
    expect(run(shuffled, c.patch)).toEqual(run(c.points, c.patch));
  });
});

describe('hysteresis: a noisy signal does not flap', () => {
  it('temperature wobbling ±8 °C across the 1,030 °C raise line raises once, never clears in the band, clears once when it settles', () => {
    // 1025 + [7, −7, 3, −3, 8, −8]: breach at 1032 and 1033, between (1015–1030) otherwise, never below 1015.
    // First breach at 0 s; the raise timer runs through the in-between samples: raised at the first breach ≥ 120 s (120).
    // Settles at 1000 from 1200 s: cleared at 1500.
    const wobble = [7, -7, 3, -3, 8, -8];
    const points = stream(1800, (t) => ({ temps: { top: t < 1200 ? 1025 + wobble[(t / 10) % 6]! : 1000 } }));
    expect(run(points, { max_temp_c: 1000 })).toEqual([`raised over_temp:kiln @${at(120)}`, `cleared over_temp:kiln @${at(1500)}`]);
  });

  it('noise dipping below the clear line between breaches never clears and never raises twice', () => {
    // 1040 / 1010 alternating every 10 s for an hour: each 1010 restarts the raise timer (an 'ok'), so it never raises.
    const points = stream(3600, (t) => ({ temps: { top: (t / 10) % 2 ? 1010 : 1040 } }));
    expect(run(points, { max_temp_c: 1000 })).toEqual([]);
  });
});

describe('sensor silent (the shell\'s clock)', () => {
  it('raised once when the firing kiln has been quiet silent_after_s, dated at the last reading; cleared after readings resume for 60 s', () => {
    const cfg = alertSettings();
    let s = initialKilnAlerts('w1', 'k1');
    const feed = (ps: Point[]) => { const out: string[] = []; for (const p of ps) { const r = stepAlerts(s, p, cfg); s = r.state; out.push(...brief(r.transitions)); } return out; };
    expect(feed(stream(300, () => ({ temps: { top: 500 } }), [firingStart()]))).toEqual([]);
    expect(s.tracker.firing).not.toBeNull();
    const tick = (quiet_s: number) => { const r = tickAlerts(s, { quiet_s, offline_s: null }, cfg); s = r.state; return brief(r.transitions); };
    expect(tick(119)).toEqual([]);
    expect(tick(120)).toEqual([`raised sensor_silent:kiln @${at(300)}`]); // the last reading heard
    expect(tick(500)).toEqual([]); // not repeated while active
    // Readings again from 900 s (the pending instant 300 is judged first, but it is the one the silence is dated at,
    // so it does not count as heard again): ok from 900, cleared at 960.
    const back = stream(1000, () => ({ temps: { top: 500 } })).filter((p) => p.ts_ms >= at(900));
    expect(feed(back)).toEqual([`cleared sensor_silent:kiln @${at(960)}`]);
  });

  it('the Last Will raises it at once; telemetry heard after the Will outranks it (an outbox sent before `online`): no flapping', () => {
    const cfg = alertSettings({ silent_clear_after_s: 20 });
    let s = initialKilnAlerts('w1', 'k1');
    const feed = (ps: Point[]) => { const out: string[] = []; for (const p of ps) { const r = stepAlerts(s, p, cfg); s = r.state; out.push(...brief(r.transitions)); } return out; };
    const tick = (quiet_s: number, offline_s: number | null) => { const r = tickAlerts(s, { quiet_s, offline_s }, cfg); s = r.state; return brief(r.transitions); };
    feed(stream(300, () => ({ temps: { top: 500 } }), [firingStart()]));
    expect(tick(5, 6)).toEqual([]); // a Will older than the last reading: heard since, not offline
    expect(tick(5, 4)).toEqual([`raised sensor_silent:kiln @${at(300)}`]); // the Will came after the last reading
    // The outbox (310–400 s) arrives while the status still says offline: cleared once 20 s of readings are judged ...
    expect(feed(stream(400, () => ({ temps: { top: 500 } })).filter((p) => p.ts_ms > at(300)))).toEqual([`cleared sensor_silent:kiln @${at(330)}`]);
    // ... and the shell's next ticks (Will 30 s ago, telemetry heard 1 s ago) do not raise it again.
    expect(tick(1, 30)).toEqual([]);
    expect(tick(2, 31)).toEqual([]);
    // Offline again, nothing heard since: raised again, dated at the last reading.
    expect(tick(10, 8)).toEqual([`raised sensor_silent:kiln @${at(400)}`]);
  });
});
