// The live view and the alert engine step each kiln's firing tracker with the same messages: they
// must end up holding one state object (memory and work once, not twice) and get exactly what each
// would get alone, through a whole firing (its start, stages, gas-off and end: the alert engine's
// event branch) and under a kiln end rule other than the default.
import { describe, expect, it } from 'vitest';
import { adoptTracker, alertSettings, DEFAULT_ALERT_SETTINGS, endRuleOf, followFlush, followTracker, initialKilnAlerts, stepAlertsAll, type AlertSettings, type AlertTransition, type KilnAlertState } from '../../../src/domain/alerts/index.ts';
import { flush, initialState, stepAll, withKilnEndRule, type TrackerState } from '../../../src/domain/firing/index.ts';
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

  it('a kiln that went silent: the engine takes the live view\'s flush, and the two still hold one state; the same as flushing its own', () => {
    const cfg = DEFAULT_ALERT_SETTINGS;
    const half = Math.floor(messages.length / 2);
    const fold = (follow: boolean) => {
      const live = new LiveState(DEFAULT_LIVE_OPTIONS);
      let alerts = initialKilnAlerts(firing!.points[0]!.tags.workshop, firing!.kiln);
      if (follow) live.onTrackerChange = (_w, _k, change) => { if (change.kind === 'flushed') alerts = followFlush(alerts, change.from, change.result, cfg) ?? alerts; };
      const transitions: AlertTransition[] = [];
      let shared = 0;
      messages.forEach((msg, i) => {
        if (i === half) {
          // Silent since the last reading: the live view flushes its tracker (what the hub does after LIVE_SILENT_S).
          expect(liveTracker(live).pending.length).toBeGreaterThan(0);
          expect(live.flushSilent(Infinity)).toEqual([KEY]);
          expect(liveTracker(live).pending.length).toBe(0);
        }
        live.apply(msg, new Set(), msg[0]!.ts_ms); // received as sent
        const r = stepAlertsAll(alerts, msg, cfg);
        alerts = r.state;
        transitions.push(...r.transitions);
        if (alerts.tracker === liveTracker(live)) shared++;
      });
      return { alerts, transitions, shared };
    };
    const followed = fold(true);
    expect(followed.shared).toBe(messages.length);
    // Without following, the two part at the flush for good (the engine never flushed).
    expect(fold(false).shared).toBe(half);
    // The engine alone, flushing its own tracker at the same moment, ends where the follower does.
    let own = initialKilnAlerts(firing!.points[0]!.tags.workshop, firing!.kiln);
    const ownTransitions: AlertTransition[] = [];
    messages.forEach((msg, i) => {
      if (i === half) {
        const from = withKilnEndRule(own.tracker, endRuleOf(cfg));
        own = followFlush(own, from, flush(from), cfg)!;
      }
      const r = stepAlertsAll(own, msg.slice(), cfg);
      own = r.state;
      ownTransitions.push(...r.transitions);
    });
    expect(followed.alerts).toEqual(own);
    expect(followed.transitions).toEqual(ownTransitions);
    expect(followed.alerts.usual.length).toBe(1); // the firing ended complete and was learnt
  });

  it('after a restart: the live view\'s rebuilt tracker replaces the engine\'s, which then knows the firing running across it (joined, not learnt) and shares every step after', async () => {
    const cfg = DEFAULT_ALERT_SETTINGS;
    const cut = Math.floor(messages.length / 2);
    const whole = new LiveState(DEFAULT_LIVE_OPTIONS);
    for (const msg of messages.slice(0, cut)) whole.apply(msg);
    const running = liveTracker(whole).firing!;
    expect(running).not.toBeNull();
    const restart = async (adopt: boolean) => {
      const live = new LiveState(DEFAULT_LIVE_OPTIONS);
      let alerts = initialKilnAlerts(firing!.points[0]!.tags.workshop, firing!.kiln);
      if (adopt) live.onTrackerChange = (_w, _k, change) => { if (change.kind === 'rebuilt') alerts = adoptTracker(alerts, change.state); };
      // Five messages reach the engine while the live view reads the stored ones (the hub holds them for after()).
      const during = messages.slice(cut, cut + 5);
      for (const msg of during) alerts = stepAlertsAll(alerts, msg, cfg).state;
      async function* stored() { yield messages.slice(0, cut).flat(); }
      await live.rebuild(firing!.points[0]!.tags.workshop, firing!.kiln, stored(), () => during.flat());
      const joined = alerts;
      let shared = 0;
      for (const msg of messages.slice(cut + 5)) {
        live.apply(msg);
        alerts = stepAlertsAll(alerts, msg, cfg).state;
        if (alerts.tracker === liveTracker(live)) shared++;
      }
      return { joined, alerts, shared, live };
    };
    const adopted = await restart(true);
    expect(adopted.joined.tracker.firing?.id).toBe(running.id);
    expect(adopted.joined.firing).toMatchObject({ id: running.id, start_ms: running.start_ms, fuel_kg: 0, partial: true });
    expect(adopted.shared).toBe(messages.length - cut - 5);
    expect(liveTracker(adopted.live).firing).toBeNull(); // it ended, complete
    expect(adopted.alerts.firing).toBeNull();
    expect(adopted.alerts.usual).toEqual([]); // only part of its gas was counted here: not a usual firing
    // Without it, the engine never shares a step again, and never knew the firing.
    const alone = await restart(false);
    expect(alone.shared).toBe(0);
    expect(alone.joined.tracker.firing?.id).not.toBe(running.id);
  });

  it('adoptTracker keeps the engine\'s record of the same firing, drops it once the firing has ended, and a joined firing is never over the usual fuel', () => {
    const live = new LiveState(DEFAULT_LIVE_OPTIONS);
    let alerts = initialKilnAlerts(firing!.points[0]!.tags.workshop, firing!.kiln);
    const cut = Math.floor(messages.length / 4); // burning
    for (const msg of messages.slice(0, cut)) { live.apply(msg); alerts = stepAlertsAll(alerts, msg, DEFAULT_ALERT_SETTINGS).state; }
    expect(alerts.firing?.fuel_kg).toBeGreaterThan(0);
    expect(adoptTracker(alerts, liveTracker(live)).firing).toBe(alerts.firing);
    expect(adoptTracker(alerts, initialState()).firing).toBeNull();
    // Usual fuel set at 1 kg: a joined firing counts its gas from the join, past 1 kg within the
    // next 300 readings, but is never over it; the same state not marked joined is.
    const low = alertSettings({ usual_fuel_kg: 1 });
    const joined = adoptTracker(initialKilnAlerts(firing!.points[0]!.tags.workshop, firing!.kiln), liveTracker(live));
    expect(joined.firing?.partial).toBe(true);
    const breachOf = (s0: KilnAlertState) => {
      let s = s0;
      for (const msg of messages.slice(cut, cut + 300)) s = stepAlertsAll(s, msg, low).state;
      const key = s.keys['over_usual:fuel'];
      return { fuel_kg: s.firing!.fuel_kg, over: key !== undefined && (key.active || key.breach_since_ms !== null) };
    };
    const asJoined = breachOf(joined);
    expect(asJoined.fuel_kg).toBeGreaterThan(1);
    expect(asJoined.over).toBe(false);
    const { partial: _, ...whole } = joined.firing!;
    expect(breachOf({ ...joined, firing: whole }).over).toBe(true);
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
