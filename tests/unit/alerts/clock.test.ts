// The device-clock check (src/domain/alerts/clock.ts) on hand-made streams of live messages: the
// service clock (wall) and the device's newest timestamp, as the pipeline hands them over. The
// shell judges every second; here too. Raise and clear instants are worked out in the comments.
// Every stream is judged twice in step, as the engine spells it (judgeClock of clockVerdict) and
// as the shell calls it (judgeClockNow, which skips the seconds that cannot change anything):
// the two must agree at every second.
import { describe, expect, it } from 'vitest';
import {
  EMPTY_CLOCK_WATCH, alertSettings, clockVerdict, initialKilnAlerts, judgeClock, judgeClockNow, observeClock,
  type AlertSettingsPatch, type AlertTransition,
} from '../../../src/domain/alerts/index.ts';
import { decodeMessage } from '../../../src/domain/decode.ts';

const W0 = Date.parse('2026-11-26T08:00:00Z');

/** Judge each second from 0 to end_s; deviceTs(t) is the device time of a live message sent at wall second t (null: none). */
function run(end_s: number, deviceTs: (t: number) => number | null, patch: AlertSettingsPatch = {}): AlertTransition[] {
  const cfg = alertSettings(patch);
  let w = EMPTY_CLOCK_WATCH;
  let s = initialKilnAlerts('w1', 'k1');
  let now = s;
  const out: AlertTransition[] = [];
  for (let t = 0; t <= end_s; t++) {
    const wall = W0 + t * 1000;
    const ts = deviceTs(t);
    if (ts !== null) w = observeClock(w, wall, ts, cfg);
    const r = judgeClock(s, clockVerdict(w, wall, cfg), wall);
    s = r.state;
    out.push(...r.transitions);
    const q = judgeClockNow(now, w, wall, cfg);
    now = q.state;
    expect({ t, transitions: q.transitions, keys: now.keys, active: now.active }).toEqual({ t, transitions: r.transitions, keys: s.keys, active: s.active });
  }
  return out;
}
const brief = (ts: AlertTransition[]) => ts.map((t) => `${t.type} ${t.alert.kind} @${(t.at_ms - W0) / 1000}`);

describe('clock_skew: a device clock off the service clock', () => {
  it('a clock 10 min ahead from 100 s: raised once the offset has held clock_after_s (120 s), cleared 60 s after it is set right', () => {
    // Skewed from 100 (the 100 s sample is the first beyond); the window is covered by skewed samples
    // once its anchor is one of them: samples every 6 s (120 s / 20), 102 is the first sample ≥ 100
    // (0, 6, ..., 96, 102), so the breach comes at 102 + 120 = 222. Set right at 500: the sample at 504
    // is ok, cleared 60 s later at 564.
    const ts = run(800, (t) => W0 + t * 1000 + (t >= 100 && t < 500 ? 600_000 : -300));
    expect(brief(ts)).toEqual(['raised clock_skew @222', 'cleared clock_skew @564']);
    const a = ts[0]!.alert;
    expect(a).toMatchObject({ kind: 'clock_skew', channel: 'kiln', severity: 'warning', unit: 's', threshold: 120 });
    expect(a.value).toBeCloseTo(600, 0);
    expect(a.message_en).toContain('10 min ahead');
    expect(a.message_vi).toContain('nhanh hơn máy chủ 10 phút');
  });

  it('a logger reset to 1970 after a power cut: behind, raised after clock_after_s', () => {
    const ts = run(400, (t) => (t < 50 ? W0 + t * 1000 : 1000 + t * 1000));
    expect(brief(ts)).toEqual(['raised clock_skew @174']); // first reset sample at 54, + 120
    expect(ts[0]!.alert.message_en).toMatch(/min behind the server/);
  });

  it('a device (or the simulator) catching up on 2 h of its past at 60× sends live messages too: never raised', () => {
    // Device time runs 60× the wall from 2 h behind, catching up after 122 s, then real time.
    const start = W0 - 2 * 3600_000;
    expect(run(900, (t) => Math.min(start + t * 60_000, W0 + t * 1000 - 500))).toEqual([]);
  });

  it('a broker backlog that grows and drains (the service taking a third less than arrives for 5 min): not steady, never raised', () => {
    // Latency grows 0.5 s a second to 150 s, then drains at 1 s a second: 60 s or more within any 120 s window.
    expect(run(900, (t) => W0 + t * 1000 - (t < 300 ? 500 * t : Math.max(0, 150_000 - 1000 * (t - 300))))).toEqual([]);
  });

  it('messages held up 3 min steadily (a backlog that neither grows nor drains) read as behind: said, since the message names both causes', () => {
    expect(brief(run(400, (t) => W0 + t * 1000 - (t >= 30 ? 180_000 : 0)))).toEqual(['raised clock_skew @150']);
  });

  it('no flapping on a noisy offset around the threshold: raised once, never cleared while it stays off', () => {
    // 140 s ± 15 s: beyond 120 s throughout and steady within 30 s; never near the 30 s clear line.
    let x = 7;
    const noise = () => { x = (x * 16807) % 2147483647; return (x / 2147483647 - 0.5) * 30; };
    const ts = run(3600, (t) => W0 + t * 1000 + (t >= 60 ? 140_000 + noise() * 1000 : 0));
    expect(brief(ts)).toEqual(['raised clock_skew @180']);
  });

  it('an offset that jumps about (115–145 s, one sample under the threshold each window) is held, not raised', () => {
    expect(run(1200, (t) => W0 + t * 1000 + (t % 60 < 6 ? 115_000 : 145_000))).toEqual([]);
  });

  it('a kiln that stops sending keeps an active clock alert (no evidence either way) and clears when heard right', () => {
    const ts = run(1500, (t) => (t < 300 ? W0 + t * 1000 + 900_000 : t < 1000 ? null : W0 + t * 1000));
    expect(brief(ts)).toEqual(['raised clock_skew @120', 'cleared clock_skew @1060']);
  });

  it('settings move it: clock_skew_s, clock_after_s and clock_clear_after_s', () => {
    const ts = run(200, (t) => W0 + t * 1000 + (t >= 10 && t < 100 ? 20_000 : 0), { clock_skew_s: 10, clock_clear_s: 5, clock_after_s: 10, clock_clear_after_s: 5 });
    // samples every 0.5 s → every second here: the first skewed at 10, raised at 20; ok at 100, cleared at 105.
    expect(brief(ts)).toEqual(['raised clock_skew @20', 'cleared clock_skew @105']);
  });
});

describe('decode: the clock a message tells', () => {
  const LIMITS = { max_payload_bytes: 256 * 1024, max_future_ms: 300_000, max_past_ms: 30 * 86_400_000 };
  const T = 'kiln/v1/bt01/k1/telemetry';
  const dec = (o: object) => decodeMessage(T, JSON.stringify(o), 100, W0, LIMITS);

  it('a live reading gives its ts_ms, even when refused as in the future; a batch says it is not live', () => {
    const ahead = dec({ v: 1, ts_ms: W0 + 600_000, seq: 1, temp_c: { top: 900 } });
    expect(ahead.points).toEqual([]);
    expect(ahead.rejects[0]?.reason).toBe('ts_future');
    expect(ahead.clock).toEqual({ device_ts_ms: W0 + 600_000, live: true });
    const batch = dec({ v: 1, readings: [{ ts_ms: W0 - 9000, seq: 1, temp_c: { top: 1 } }, { ts_ms: W0 - 8000, seq: 2, temp_c: { top: 2 } }] });
    expect(batch.clock).toEqual({ device_ts_ms: W0 - 8000, live: false });
    expect(dec({ v: 1, ts_ms: 'now', seq: 1, temp_c: { top: 1 } }).clock).toBeUndefined();
  });
});
