// Tracker settings, one defaults object with the unit of every value and the reason for it.
// Figures citing docs/sources.md are published ones (source and grade there); the rest are engineering choices.

/** The tracker's time resolution: it uses at most one reading per channel per slot of this many ms
 *  (the earliest; pending.ts). 1 s is far finer than anything it decides (stages confirm over
 *  2 min, the rate is read over 10 min) and leaves 1 Hz readings untouched, while a 1 kHz burst
 *  costs no more than 1 Hz. A constant, not a setting: saved tracker states carry their config. */
export const SAMPLE_RESOLUTION_MS = 1000;

export interface TrackerConfig {
  /** Points may arrive this much out of order; a sample is decided only once the newest point is this far ahead. */
  readonly reorder_window_s: number;
  /** A thermocouple not heard for this long no longer counts in the kiln temperature. */
  readonly zone_stale_s: number;
  /** A thermocouple whose reading jumps more than this between two readings is in fault: left out
   *  of the kiln temperature until it reads near its last good value or the other zones again. */
  readonly zone_fault_jump_c: number;
  /** No temperature for longer than this, during a firing, is reported as a data gap. */
  readonly max_gap_s: number;
  /** Detected start: the kiln temperature rose this far above its recent low ... */
  readonly rise_c: number;
  /** ... and stayed there this long. */
  readonly rise_hold_s: number;
  /** The start is the last sample within this much of the low (start error ≈ slack / rate). */
  readonly low_slack_c: number;
  /** An idle kiln's low is forgotten after this long, if the kiln did not rise rise_c / 2 above it. */
  readonly low_memory_s: number;
  /** Detected start by gas: total flow above this ... */
  readonly gas_on_kg_h: number;
  /** ... for this long. */
  readonly gas_on_hold_s: number;
  /** Totaliser and scale readings kept this long per meter, to date gas-on and gas-off (gas-on-off.ts). */
  readonly meter_window_s: number;
  /** A totaliser or scale counts as burning when its use over this window, as a fitted slope, is above gas_on_kg_h
   *  and 4 standard errors above zero (meters.ts). */
  readonly meter_rate_window_s: number;
  /** A cylinder scale's peak noise: changes within it are not use. */
  readonly scale_noise_kg: number;
  /** A scale rising more than this is a cylinder swap, not a negative use. */
  readonly scale_swap_kg: number;
  /** Gas-off without a controller: every meter off for this long while the kiln is cooling. */
  readonly gas_off_hold_s: number;
  /** A firing ends this long after gas-off if the kiln has not yet fallen below unload_c. */
  readonly end_after_gas_off_s: number;
  /** m³ → kg for meters that report volume; used only to tell burners on from off, never to meter fuel. */
  readonly lpg_density_kg_m3: number;
  /** A firing ends (the kiln can be unloaded) when a cooling kiln's hottest zone falls below this (docs/sources.md: do not open before ~200 °C). */
  readonly unload_c: number;
  /** The kiln counts as cooling (and may be re-fired) once this far below the firing's peak. */
  readonly cooling_drop_c: number;
  /** Soak: within this band of the peak ... */
  readonly soak_band_c: number;
  /** ... and changing slower than this. */
  readonly soak_max_rate_c_h: number;
  /** Heating rate is measured over this window. */
  readonly rate_window_s: number;
  /** Ramp to peak: the last this-many °C below the target (docs/sources.md: "the last ~100 °C"). */
  readonly ramp_band_c: number;
  /** Target when the controller sent no schedule. */
  readonly default_target_c: number;
  /** Without a target, a peak at least this hot counts as a complete firing, a cooler one as aborted. */
  readonly min_complete_peak_c: number;
  /** With a target, a peak this close below it counts as complete. */
  readonly complete_tolerance_c: number;
  readonly water_smoking_max_c: number;
  readonly burn_out_min_c: number;
  readonly burn_out_max_c: number;
  readonly quartz_c: number;
  readonly quartz_band_c: number;
  /** A new stage must hold this long before it is announced (stops flicker at a boundary). */
  readonly stage_confirm_s: number;
}

export const DEFAULT_TRACKER_CONFIG: TrackerConfig = {
  reorder_window_s: 30, // 3 samples at 10 s: QoS 1 redelivery and batched messages reorder by seconds; live events lag by this
  zone_stale_s: 120, // two samples at the slowest useful cadence (60 s, docs/sources.md)
  zone_fault_jump_c: 100, // a kiln moves ≤ 5 °C a minute at 300 °C/h; the tc_fault alert's jump (alerts/settings.ts)
  max_gap_s: 300, // 5 missed samples at 60 s; at 100 °C/h that is ~8 °C unseen
  rise_c: 30, // well above sensor noise and a day's ambient swing (~10 °C)
  rise_hold_s: 1200, // 20 min rejects sun on the casing, an opened door, a sensor glitch
  low_slack_c: 3, // above ±1–2 °C thermocouple noise at ambient; 2 min error at 100 °C/h, 18 min at 10 °C/h
  low_memory_s: 7200, // forgets a cold night's low, so the start is not dated from dawn
  gas_on_kg_h: 1, // a low fire on a 3.5 m³ kiln burns several kg/h; a pilot flame well under 1 (engineering guess, L)
  gas_on_hold_s: 300, // lighting attempts and leak tests last a minute or two
  meter_window_s: 3600, // half an hour idle and half an hour burning: a scale's gas-on is fitted to both (gas-on-off.ts, meters.ts fitMs)
  meter_rate_window_s: 300, // a 0.2 kg-noise scale read every 10 s gives a slope within ~0.4 kg/h over 5 min
  scale_noise_kg: 0.2, // the report's scale noise (report/summary.ts)
  scale_swap_kg: 40, // the report's swap rise: a 48 kg cylinder exchanged near empty
  gas_off_hold_s: 900, // a controller pausing the burners in a hold relights within minutes (engineering choice, L)
  end_after_gas_off_s: 36 * 3600, // a Bát Tràng gas kiln cools to ~200 °C in well under a day and a half; a silent or stuck thermocouple cannot keep a firing open for ever (L)
  lpg_density_kg_m3: 2, // between propane 1.87 and butane 2.46 kg/m³ at 15 °C (docs/sources.md)
  unload_c: 200, // docs/sources.md: do not open before ~200 °C
  cooling_drop_c: 50, // wider than a soak band and the stall at reduction onset; crossed within ~10 min of a real cool
  soak_band_c: 10, // a held kiln wanders a few °C around its set point
  soak_max_rate_c_h: 25, // half the slowest final ramp (50 °C/h, docs/sources.md), so a slow ramp is not taken for a soak
  rate_window_s: 600, // ±1 °C noise gives ±12 °C/h at 10 min; shorter windows blur soak and ramp
  ramp_band_c: 100, // docs/sources.md: slow the last ~100 °C to 50–85 °C/h
  default_target_c: 1200, // middle of Bát Tràng stoneware (sành 1,100–1,250 °C, docs/sources.md); a schedule replaces it
  min_complete_peak_c: 1000, // below cone 04 (1,046 °C at 15 °C/h, Orton self-supporting), the usual bisque; a lower firing needs its schedule
  complete_tolerance_c: 30, // cone 6 at 15 vs 60 °C/h differs by 37 °C (Orton): peaks this close may have done the heat-work
  water_smoking_max_c: 200, // docs/sources.md: water smoking to ~200 °C
  burn_out_min_c: 450, // docs/sources.md: dehydroxylation and burn-out 450–900 °C
  burn_out_max_c: 900,
  quartz_c: 573, // docs/sources.md: quartz inversion at 573 °C
  quartz_band_c: 25, // the span a schedule slows through around 573 °C
  stage_confirm_s: 120, // 12 samples at 10 s
};

export function trackerConfig(overrides: Partial<TrackerConfig> = {}): TrackerConfig {
  return { ...DEFAULT_TRACKER_CONFIG, ...overrides };
}

/** A kiln's own end rule: below unload_c, or end_after_gas_off_s after gas-off, whichever first. */
export interface EndRule { readonly unload_c: number; readonly end_after_gas_off_s: number }

/** The config with a kiln's end rule; the same object when it already has it. */
export function withEndRule(cfg: TrackerConfig, rule: EndRule | null | undefined): TrackerConfig {
  if (!rule || (cfg.unload_c === rule.unload_c && cfg.end_after_gas_off_s === rule.end_after_gas_off_s)) return cfg;
  return { ...cfg, unload_c: rule.unload_c, end_after_gas_off_s: rule.end_after_gas_off_s };
}
