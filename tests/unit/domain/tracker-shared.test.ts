// The live view and the alert engine step each kiln's firing tracker with the same messages: they
// must end up holding one state object (memory and work once, not twice) and get exactly what each
// would get alone, through a whole firing (its start, stages, gas-off and end: the alert engine's
// event branch) and under a kiln end rule other than the default.
import { describe, expect, it } from 'vitest';
import { alertSettings, DEFAULT_ALERT_SETTINGS, endRuleOf, followTracker, initialKilnAlerts, stepAlertsAll, type AlertSettings, type AlertTransition, type KilnAlertState } from '../../../src/domain/alerts/index.ts';
import { initialState, stepAll, withKilnEndRule, type TrackerState } from '../../../src/domain/firing/index.ts';
import { DEFAULT_LIVE_OPTIONS, LiveState } from '../../../src/live/live-state.ts';
import { messagesOf, simulate } from '../../fixtures/report/simulated.ts';

const [firing] = simulate([{ preset: 'k18', firing: 'bisque04' }], { interval_s: 10, seed: 3, max_h: 40 });
const messages = messagesOf(firing!.points);
const KEY = `${firing!.points[0]!.tags.workshop}/${firing!.kiln}`;
/** The tracker state the live view holds for a kiln (a private field: what is shared is the point). */
const liveTracker = (live: LiveState, key = KEY): TrackerState => (live as unknown as { kilns: Map<string, { tracker: TrackerState }> }).kilns.get(key)!.tracker;

interface Run { live: LiveState; alerts: KilnAlertState; transitions: AlertTransition[]; shared: number; events: number }

/** Each message to the live view, then to the alert engine (as the pipeline hands it to both);
 *  `copy`: the engine gets a copy of each message, so nothing can be shared. */
function run(cfg: AlertSettings, copy: boolean): Run {
  const live = new LiveState({ ...DEFAULT_LIVE_OPTIONS, endRule: () => endRuleOf(cfg) });
  let alerts = initialKilnAlerts(firing!.points[0]!.tags.workshop, firing!.kiln);
  const transitions: AlertTransition[] = [];
  let shared = 0, events = 0;
  for (const msg of messages) {
    live.apply(msg);
    const before = alerts.tracker;
    const r = stepAlertsAll(alerts, copy ? msg.slice() : msg, cfg);
    alerts = r.state;
    transitions.push(...r.transitions);
    if (alerts.tracker === liveTracker(live)) shared++;
    if (alerts.tracker.firing?.id !== before.firing?.id || alerts.tracker.firing?.stage !== before.firing?.stage) events++;
  }
  return { live, alerts, transitions, shared, events };
}

describe('one firing tracker for the live view and the alert engine', () => {
  for (const [what, cfg] of [['default end rule', DEFAULT_ALERT_SETTINGS], ['a kiln end rule of its own (250 °C, 20 h after gas-off)', alertSettings({ firing_end_c: 250, firing_end_after_gas_off_h: 20 })]] as const) {
    it(`${what}: after every message both hold the same state object, equal to what each folds alone`, () => {
      const together = run(cfg, false);
      const apart = run(cfg, true);
      // The firing was found and ended: the engine's event branch ran, several times.
      expect(together.events).toBeGreaterThan(5);
      expect(liveTracker(together.live).firing).toBeNull();
      expect(together.alerts.tracker.points_seen).toBe(firing!.points.length);
      expect(together.shared).toBe(messages.length);
      expect(apart.shared).toBe(0);
      // Nothing changes but the sharing.
      expect(together.alerts).toEqual(apart.alerts);
      expect(together.transitions).toEqual(apart.transitions);
      expect(liveTracker(together.live)).toEqual(liveTracker(apart.live));
      expect(together.live.views()).toEqual(apart.live.views());
      expect(liveTracker(together.live).config.unload_c).toBe(cfg.firing_end_c);
    });
  }

  it('at 1 Hz, readings thinned out for the rules: the engine takes the live view\'s step of each message thinned out, and still holds its one state', () => {
    const [hz] = simulate([{ preset: 'k1', firing: 'bisque04' }], { interval_s: 1, seed: 5, max_h: 30 });
    const msgs = messagesOf(hz!.points);
    const key = `${hz!.points[0]!.tags.workshop}/${hz!.kiln}`;
    const fold = (follow: boolean) => {
      const live = new LiveState(DEFAULT_LIVE_OPTIONS);
      let alerts = initialKilnAlerts(hz!.points[0]!.tags.workshop, hz!.kiln);
      const transitions: AlertTransition[] = [];
      let accepted_ms = -Infinity, shared = 0, followed = 0;
      for (const msg of msgs) {
        live.apply(msg);
        // The alert service's thinning (min_sample_s 10): events always, one instant per 10 s.
        const keep = msg.some((p) => p.measurement === 'event') || msg[0]!.ts_ms >= accepted_ms + 10_000;
        if (keep) {
          accepted_ms = Math.max(accepted_ms, msg[0]!.ts_ms);
          const r = stepAlertsAll(alerts, msg, DEFAULT_ALERT_SETTINGS);
          alerts = r.state;
          transitions.push(...r.transitions);
        } else if (follow) {
          const f = followTracker(alerts, msg, DEFAULT_ALERT_SETTINGS);
          if (f) { alerts = f; followed++; }
        }
        if (alerts.tracker === liveTracker(live, key)) shared++;
      }
      return { alerts, transitions, shared, followed };
    };
    const followed = fold(true);
    const thinned = fold(false);
    expect(followed.followed).toBeGreaterThan(msgs.length * 0.8);
    expect(followed.shared).toBe(msgs.length);
    expect(thinned.shared).toBeLessThan(msgs.length * 0.2);
    // The firing as the engine counts it into the usual firings: the same gas; its heating time
    // ends where the tracker saw cooling begin, now read from every reading, not one per 10 s
    // (measured: 44 s earlier in this firing), so it may differ by less than a minute.
    expect(followed.alerts.usual.length).toBe(1);
    expect(followed.alerts.usual[0]!.fuel_kg).toBe(thinned.alerts.usual[0]!.fuel_kg);
    expect(Math.abs(followed.alerts.usual[0]!.duration_h - thinned.alerts.usual[0]!.duration_h) * 3600).toBeLessThan(60);
    expect(followed.transitions.map((t) => `${t.type}:${t.alert.kind}`)).toEqual(thinned.transitions.map((t) => `${t.type}:${t.alert.kind}`));
    // A message the live view did not step from this state: nothing to take.
    expect(followTracker(followed.alerts, msgs[5]!.slice(), DEFAULT_ALERT_SETTINGS)).toBeNull();
  });

  it('the same state and the same message give the same result object; another message or another state is stepped anew', () => {
    const s0 = initialState();
    expect(initialState()).toBe(s0);
    expect(Object.isFrozen(s0)).toBe(true);
    const [m1, m2] = messages;
    const a = stepAll(s0, m1!);
    expect(stepAll(s0, m1!)).toBe(a);
    expect(stepAll(s0, m1!.slice())).not.toBe(a);
    expect(stepAll(s0, m1!.slice())).toEqual(a);
    const b = stepAll(a.state, m2!);
    expect(stepAll(a.state, m2!)).toBe(b);
    expect(stepAll(s0, m2!)).not.toBe(b); // the same message from another state
    const rule = { unload_c: 300, end_after_gas_off_s: 3600 };
    expect(withKilnEndRule(b.state, rule)).toBe(withKilnEndRule(b.state, { ...rule }));
    expect(withKilnEndRule(b.state, { ...rule, unload_c: 310 }).config.unload_c).toBe(310);
  });
});
