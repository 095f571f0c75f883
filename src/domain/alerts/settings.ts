// Alert thresholds, one defaults object with the unit of every value and the reason for it
// (docs/alerts.md explains each rule). Figures marked (sources.md) are published, with their source, in docs/sources.md;
// (sim) were measured on the simulator's normal firings (tests/unit/alerts/normal-firings.test.ts
// keeps them quiet there); the rest are engineering choices, confidence L, to be tuned per kiln.
// Every raise threshold has a separate clear threshold and raise/clear delays in DEVICE time
// (the readings' ts_ms): hysteresis that makes a replay give the same alerts.
import { z } from 'zod';
import { DEFAULT_TRACKER_CONFIG, type EndRule } from '../firing/config.ts';

export interface AlertSettings {
  /** Heating rate is measured over this window (the firing tracker's; ±1 °C noise ≈ ±12 °C/h). */
  readonly rate_window_s: number;
  // --- off schedule: kiln vs the controller's schedule, the setpoint waiting for a lagging kiln
  readonly off_schedule_band_c: number;
  readonly off_schedule_clear_c: number;
  readonly off_schedule_after_s: number;
  readonly off_schedule_clear_after_s: number;
  /** The planned setpoint waits while the kiln is this far behind it (a controller's holdback). */
  readonly holdback_c: number;
  // --- heating too fast in the risky ranges
  readonly water_smoking_max_c: number;
  readonly water_smoking_rate_c_h: number;
  readonly water_smoking_clear_rate_c_h: number;
  readonly quartz_c: number;
  readonly quartz_band_c: number;
  readonly quartz_heat_rate_c_h: number;
  readonly quartz_heat_clear_rate_c_h: number;
  readonly quartz_cool_rate_c_h: number;
  readonly quartz_cool_clear_rate_c_h: number;
  readonly rate_after_s: number;
  readonly rate_clear_after_s: number;
  // --- stall: gas on, temperature falling (flame-out, leak)
  readonly gas_on_kg_h: number;
  readonly stall_fall_rate_c_h: number;
  readonly stall_clear_rate_c_h: number;
  /** Only while the flow is at least this share of the firing's highest flow so far. */
  readonly stall_min_flow_share: number;
  readonly stall_after_s: number;
  readonly flame_out_o2_pct: number;
  readonly flame_out_clear_o2_pct: number;
  readonly flame_out_after_s: number;
  readonly stall_clear_after_s: number;
  // --- over-temperature
  readonly over_temp_margin_c: number;
  readonly over_temp_clear_margin_c: number;
  readonly over_temp_after_s: number;
  readonly over_temp_clear_after_s: number;
  /** Target when no schedule names one. */
  readonly max_temp_c: number;
  // --- sensors
  /** The kiln's telemetry silent this long (service clock: device time stops with the device). */
  readonly silent_after_s: number;
  readonly silent_clear_after_s: number;
  /** A thermocouple zone not heard this long while the others report: open circuit or wiring. */
  readonly zone_silent_s: number;
  readonly jump_c: number;
  readonly jump_window_s: number;
  readonly spread_c: number;
  readonly spread_clear_c: number;
  readonly spread_after_s: number;
  readonly tc_clear_after_s: number;
  // --- the device clock against the service's (service clock: the device's is what is wrong)
  readonly clock_skew_s: number;
  readonly clock_clear_s: number;
  /** The offset must hold this long, steady within clock_steady_s (a device catching up is not steady). */
  readonly clock_after_s: number;
  readonly clock_steady_s: number;
  readonly clock_clear_after_s: number;
  // --- gas while idle
  readonly gas_idle_kg_h: number;
  readonly gas_idle_clear_kg_h: number;
  readonly gas_idle_after_s: number;
  readonly gas_idle_clear_after_s: number;
  // --- cylinder low (needs the empty mass of the cylinders on the scale)
  readonly scale_tare_kg: number | null;
  readonly cylinder_low_kg: number;
  readonly cylinder_clear_kg: number;
  readonly cylinder_after_s: number;
  readonly cylinder_clear_after_s: number;
  // --- more fuel or time than usual
  readonly usual_factor: number;
  readonly usual_min_firings: number;
  /** Override the kiln's usual fuel per firing / firing length (else the median of its last firings seen). */
  readonly usual_fuel_kg: number | null;
  readonly usual_duration_h: number | null;
  // --- firing end (the firing tracker's, per kiln: the firing index, the live view and the reports)
  /** A firing ends (the kiln can be unloaded) when its hottest zone falls below this ... */
  readonly firing_end_c: number;
  /** ... or this long after gas-off, whichever comes first. */
  readonly firing_end_after_gas_off_h: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  rate_window_s: 600, // the tracker's rate window (src/domain/firing/config.ts)
  off_schedule_band_c: 50, // wider than the ~30–60 °C top/bottom spread of a normal ramp (sim), so one zone's bias is not "off"
  off_schedule_clear_c: 30,
  off_schedule_after_s: 900, // 15 min: a burner relight or a door check passes; at 100 °C/h that is 25 °C more
  off_schedule_clear_after_s: 300,
  holdback_c: 20, // controllers hold the ramp when the kiln lags 10–20 °C (the simulator: 15 °C)
  water_smoking_max_c: 200, // sources.md: water smoking to ~200 °C
  water_smoking_rate_c_h: 150, // sources.md: ≤ 50–110 °C/h; the hottest zone reads ~135 °C/h on bisque04's 111 °C/h ramp (sim)
  water_smoking_clear_rate_c_h: 125,
  quartz_c: 573, // sources.md: quartz inversion at 573 °C
  quartz_band_c: 25, // the tracker's band: the span a schedule slows through
  quartz_heat_rate_c_h: 150, // schedules cross 573 at 60–111 °C/h (sources.md); measured ≤ 128 on the hottest zone (sim)
  quartz_heat_clear_rate_c_h: 130,
  quartz_cool_rate_c_h: 150, // sources.md: controlled through 800–500 °C; natural cooling crossed 573 at ≤ 104 °C/h (sim)
  quartz_cool_clear_rate_c_h: 120,
  rate_after_s: 600, // the rate must stay high for 10 min: a short overshoot is not a fast firing
  rate_clear_after_s: 300,
  gas_on_kg_h: 1, // the tracker's "burners on" (a pilot flame is well under 1 kg/h)
  stall_fall_rate_c_h: -50, // a normal firing fell at most ~32 °C/h with the burners on (peak, soak; sim)
  stall_clear_rate_c_h: -25,
  stall_min_flow_share: 0.5, // a flame-out drives the controller to full fire; controlled cooling runs the burners low
  stall_after_s: 300,
  flame_out_o2_pct: 18, // flue O2 ≈ 4 % lit (λ 1.25), 19.5 % with gas but no flame, 20.9 % air (sim model)
  flame_out_clear_o2_pct: 15,
  flame_out_after_s: 60, // unburnt LPG accumulates: say it within a minute
  stall_clear_after_s: 600,
  over_temp_margin_c: 30, // cone 10 at 15 vs 60 °C/h differs by 34 °C (Orton, sources.md): beyond ~30 °C the ware over-fires
  over_temp_clear_margin_c: 15,
  over_temp_after_s: 120,
  over_temp_clear_after_s: 300,
  max_temp_c: 1350, // top of sứ (porcelain) 1,280–1,350 °C (sources.md)
  silent_after_s: 120, // 12 samples at 10 s, 2 at the slowest useful 60 s (sources.md)
  silent_clear_after_s: 60,
  zone_silent_s: 120, // the tracker's zone_stale_s
  jump_c: 100, // a real kiln moves ≤ 5 °C a minute at 300 °C/h: 100 °C between two readings is a sensor
  jump_window_s: 120,
  spread_c: 100, // normal top/bottom spread ≤ 60 °C at 100–200 °C/h (sim, 8 + 0.24 × rate)
  spread_clear_c: 80,
  spread_after_s: 600,
  tc_clear_after_s: 300,
  clock_skew_s: 120, // live readings arrive within a second (p99 < 0.5 s at 20k readings/s, benchmarks.md); 2 min misplaces a 10 s logger's 12 readings
  clock_clear_s: 30,
  clock_after_s: 120, // as long as silent_after_s: a wrong clock ahead of INGEST_MAX_FUTURE_S makes the kiln look silent, say why as soon
  clock_steady_s: 30, // a 60 s logger publishing late by up to one interval still reads steady; a replay at 2× moves 60 s a minute
  clock_clear_after_s: 60,
  gas_idle_kg_h: 0.3, // below the tracker's 1 kg/h "burners on", above a meter's zero noise
  gas_idle_clear_kg_h: 0.1,
  gas_idle_after_s: 600, // lighting attempts and leak tests last a minute or two (tracker)
  gas_idle_clear_after_s: 120,
  scale_tare_kg: null, // unknown: the empty mass of the bank on the scale (48 kg cylinders, sources.md); set per kiln
  cylinder_low_kg: 3, // below ~1 kg per cylinder the vapour pressure cannot feed full fire (sim): warn before a 2-cylinder bank starves
  cylinder_clear_kg: 6,
  cylinder_after_s: 120, // scale noise ±0.05 kg, 0.1 kg steps
  cylinder_clear_after_s: 60,
  usual_factor: 1.25, // the kiln-against-its-own-median flag (src/domain/savings/median.ts)
  usual_min_firings: 3,
  usual_fuel_kg: null,
  usual_duration_h: null,
  firing_end_c: DEFAULT_TRACKER_CONFIG.unload_c, // the tracker's defaults and reasons (src/domain/firing/config.ts)
  firing_end_after_gas_off_h: DEFAULT_TRACKER_CONFIG.end_after_gas_off_s / 3600,
};

const c = z.number().min(-100).max(2000);
const s = z.number().min(0).max(7 * 86400);
const rate = z.number().min(-2000).max(2000);
/** What a user may set per kiln: any subset; the rest keep their defaults. */
export const alertSettingsPatchSchema = z.strictObject({
  rate_window_s: z.number().min(60).max(7200),
  off_schedule_band_c: c, off_schedule_clear_c: c, off_schedule_after_s: s, off_schedule_clear_after_s: s, holdback_c: c,
  water_smoking_max_c: c, water_smoking_rate_c_h: rate, water_smoking_clear_rate_c_h: rate,
  quartz_c: c, quartz_band_c: c, quartz_heat_rate_c_h: rate, quartz_heat_clear_rate_c_h: rate,
  quartz_cool_rate_c_h: rate, quartz_cool_clear_rate_c_h: rate, rate_after_s: s, rate_clear_after_s: s,
  gas_on_kg_h: z.number().min(0).max(1000), stall_fall_rate_c_h: rate, stall_clear_rate_c_h: rate,
  stall_min_flow_share: z.number().min(0).max(1), stall_after_s: s,
  flame_out_o2_pct: z.number().min(0).max(21), flame_out_clear_o2_pct: z.number().min(0).max(21), flame_out_after_s: s, stall_clear_after_s: s,
  over_temp_margin_c: c, over_temp_clear_margin_c: c, over_temp_after_s: s, over_temp_clear_after_s: s, max_temp_c: c,
  silent_after_s: z.number().min(1).max(86400), silent_clear_after_s: s, zone_silent_s: z.number().min(1).max(86400),
  jump_c: z.number().positive().max(2000), jump_window_s: s, spread_c: c, spread_clear_c: c, spread_after_s: s, tc_clear_after_s: s,
  clock_skew_s: z.number().min(1).max(365 * 86400), clock_clear_s: z.number().min(0).max(365 * 86400),
  clock_after_s: z.number().min(1).max(86400), clock_steady_s: z.number().min(0).max(86400), clock_clear_after_s: s,
  gas_idle_kg_h: z.number().min(0).max(1000), gas_idle_clear_kg_h: z.number().min(0).max(1000), gas_idle_after_s: s, gas_idle_clear_after_s: s,
  scale_tare_kg: z.number().min(0).max(10_000).nullable(), cylinder_low_kg: z.number().min(0).max(10_000), cylinder_clear_kg: z.number().min(0).max(10_000),
  cylinder_after_s: s, cylinder_clear_after_s: s,
  usual_factor: z.number().min(1).max(10), usual_min_firings: z.number().int().min(1).max(100),
  usual_fuel_kg: z.number().positive().max(100_000).nullable(), usual_duration_h: z.number().positive().max(1000).nullable(),
  // Above ambient (else a firing never ends by temperature), below any peak worth a report.
  firing_end_c: z.number().min(40).max(1000),
  firing_end_after_gas_off_h: z.number().min(1).max(30 * 24),
}).partial();
export type AlertSettingsPatch = z.infer<typeof alertSettingsPatchSchema>;

/** A kiln's settings: what was saved over the defaults (settings saved before a field existed get its default). */
export function alertSettings(patch: AlertSettingsPatch = {}): AlertSettings {
  return { ...DEFAULT_ALERT_SETTINGS, ...patch };
}

/** The firing tracker's end rule in these settings. */
export function endRuleOf(s: AlertSettings): EndRule {
  return { unload_c: s.firing_end_c, end_after_gas_off_s: s.firing_end_after_gas_off_h * 3600 };
}

/** Pairs whose clear threshold must sit on the safe side of the raise threshold (else it would flap). */
export function settingsProblems(s: AlertSettings): { path: string[]; message: string }[] {
  const out: { path: string[]; message: string }[] = [];
  const below = (clear: keyof AlertSettings, raise: keyof AlertSettings) => {
    if ((s[clear] as number) > (s[raise] as number)) out.push({ path: [clear], message: `must not be above ${raise} (${String(s[raise])}), or the alert would flap` });
  };
  below('off_schedule_clear_c', 'off_schedule_band_c');
  below('water_smoking_clear_rate_c_h', 'water_smoking_rate_c_h');
  below('quartz_heat_clear_rate_c_h', 'quartz_heat_rate_c_h');
  below('quartz_cool_clear_rate_c_h', 'quartz_cool_rate_c_h');
  below('stall_fall_rate_c_h', 'stall_clear_rate_c_h');
  below('flame_out_clear_o2_pct', 'flame_out_o2_pct');
  below('over_temp_clear_margin_c', 'over_temp_margin_c');
  below('spread_clear_c', 'spread_c');
  below('gas_idle_clear_kg_h', 'gas_idle_kg_h');
  below('cylinder_low_kg', 'cylinder_clear_kg');
  below('clock_clear_s', 'clock_skew_s');
  return out;
}
