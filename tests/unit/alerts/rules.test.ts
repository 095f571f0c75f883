// Each rule on a hand-made fixture stream (one reading per 10 s of device time), with the raise
// and clear instants worked out by hand in the comments. An instant is judged when the next one
// arrives (replay.ts flushes the last), and a transition is dated at the instant that caused it.
import { describe, expect, it } from 'vitest';
import { alertSettings, initialKilnAlerts, stepAlerts, tickAlerts, type AlertSettingsPatch } from '../../../src/domain/alerts/index.ts';
import type { Point } from '../../../src/domain/point.ts';
import { brief, replay } from './replay.ts';
import { FIXTURE_CASES, at, firingStart, stream } from './streams.ts';

const run = (points: Point[], patch: AlertSettingsPatch = {}) => brief(replay(points, alertSettings(patch)).transitions);

describe('alert rules on fixture streams: raised and cleared at the hand-worked instants', () => {
  const cases = FIXTURE_CASES;

  it.each(cases)('$name', ({ points, patch, expected }) => {
    expect(run(points, patch)).toEqual(expected);
  });

  it('the same stream in any order within an instant, and replayed twice, gives the same transitions (device time only)', () => {
    // Each instant's points reversed; only cases with several points an instant are changed by it.
    const reversed = (ps: Point[]) => [...ps].reverse().sort((a, b) => a.ts_ms - b.ts_ms);
    const changed = cases.filter((c) => reversed(c.points).some((p, i) => p !== c.points[i]));
    expect(changed.length, 'fixture cases with more than one point an instant').toBeGreaterThanOrEqual(5);
    for (const c of changed) {
      expect(run(reversed(c.points), c.patch), c.name).toEqual(c.expected);
      expect(run(c.points, c.patch), c.name).toEqual(run(c.points, c.patch));
    }
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
