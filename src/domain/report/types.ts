// The per-firing summary (what a report carries: docs/sources.md, "Comparing before and after"). Plain readonly
// data, every number with its unit in its name; a figure that cannot be computed is null, never 0.
import type { FuelSpec } from '../analytics/fuels.ts';
import type { PriceEntry, PricedPart } from '../analytics/energy.ts';
import type { ConeEquivalent } from '../firing/cones.ts';
import type { SoakConeEstimate } from '../firing/soak-cone.ts';
import type { FiringRecord } from '../firing/fold.ts';
import type { Point } from '../point.ts';
import type { Schedule } from '../../wire/events.ts';

export type MeterKind = 'totalizer' | 'flow' | 'scale';

/** Raised when FiringSummary changes shape, so summaries stored in an older one are recomputed.
 *  2: fuel per hour and per stage instead of per interval; the cone with the soak; gas on/off per meter. */
export const SUMMARY_FORMAT = 3;

export interface ReportOptions {
  /** Longest interval between two readings that counts as covered; longer is a gap (never bridged). */
  readonly max_gap_s: number;
  /** Propane share of the LPG vapour (mole fraction), for meters that count m³. */
  readonly propane_mol_frac: number;
  /** Soak: time the kiln stayed within this band below its peak. */
  readonly soak_band_c: number;
  /** Window of the maximum heating rate (°C over this window, per hour). */
  readonly rate_window_s: number;
  /** Cooling ends, and the kiln may be opened, below this. */
  readonly unload_c: number;
  readonly scale: { readonly swap_min_rise_kg: number; readonly noise_kg: number; readonly max_flow_kg_h?: number };
  /** A flow above this is the gas burning (the tracker's gas_on_kg_h). */
  readonly gas_on_kg_h: number;
  /** Totaliser: largest plausible rise between readings, register units (see totalizerConsumption). */
  readonly totalizer: { readonly max_wrap_step?: number; readonly jitter?: number };
}

export interface SummaryInput {
  readonly firing: FiringRecord;
  /** This kiln's points covering the firing (others outside [start, end] are ignored). */
  readonly points: readonly Point[];
  readonly schedule?: Schedule;
  readonly fuel?: FuelSpec;
  readonly prices: readonly PriceEntry[];
  readonly options?: Partial<ReportOptions>;
  /** The live tracker's late_points (points older than what it had decided); the report path sorts, so 0. */
  readonly late_points?: number;
  /** Whether any of the points were rebuilt from one-minute aggregates (docs/retention.md). */
  readonly resolution?: 'raw' | '1m';
}

export interface GapSpan { readonly kind: 'temperature' | MeterKind; readonly from_ms: number; readonly to_ms: number; readonly duration_s: number }

/** What every meter's figure carries, measured and summarised alike. */
export interface MeterCore {
  readonly kind: MeterKind;
  readonly channels: readonly string[];
  /** Measured only: gaps are not bridged. */
  readonly fuel_kg: number;
  /** Share of the firing between this meter's first and last usable reading, excluding gaps. */
  readonly coverage_pct: number;
  /** Flow only: what a straight line across each gap would add; NOT in fuel_kg. */
  readonly gap_estimate_kg: number;
  /** Why this meter's figure may be short: resets, gaps, cylinders off the scale. */
  readonly notes: readonly string[];
  readonly gaps: readonly GapSpan[];
  /** Totaliser resets (meter replaced): nothing is counted across one. 0 for other kinds. */
  readonly resets: number;
  /** When this meter first shows gas burning in the firing, and when it stops for good (null: not
   *  seen, or still burning at the end); analytics/gas-on-off.ts, within one reading interval. */
  readonly gas_on_ms: number | null;
  readonly gas_off_ms: number | null;
}

export interface ConsumptionSegment { readonly ts_ms: number; readonly kg: number }

/** A meter as measured (meters.ts): every consumption segment, one per reading interval for a
 *  flow meter. It prices the fuel and is summarised; it is not what a report carries. */
export interface MeteredFigure extends MeterCore {
  readonly segments: readonly ConsumptionSegment[];
}

/** kg in one hour of the firing, counted from its start. */
export interface HourFuel { readonly from_ms: number; readonly kg: number }
/** kg during one stage span of the tracker (a stage may recur, e.g. two reduction spans). */
export interface StageFuel { readonly stage: string; readonly from_ms: number; readonly to_ms: number | null; readonly kg: number }

/** A meter in a report: its totals and its consumption per hour and per stage. The per-interval
 *  detail stays out (a day at 1 Hz is ~86,000 intervals): the readings CSV and the curve carry it. */
export interface MeterFigure extends MeterCore {
  readonly by_hour: readonly HourFuel[];
  readonly by_stage: readonly StageFuel[];
}

export interface FiringSummary {
  readonly firing_id: string;
  readonly start_ms: number;
  /** The firing's end, or the last reading while it is still open. */
  readonly end_ms: number;
  readonly open: boolean;
  /** firing; cooling: gas-off passed, so the fuel is final, the kiln not yet unloadable; ended. */
  readonly status: 'firing' | 'cooling' | 'ended';
  /** When the burners came on and went off for good, as the tracker found them (null: not seen). */
  readonly gas_on_ms: number | null;
  readonly gas_off_ms: number | null;
  readonly duration_h: number;
  readonly peak_c: number | null;
  readonly peak_ms: number | null;
  readonly peak_c_by_zone: Readonly<Record<string, number>>;
  readonly soak_at_peak_min: number | null;
  readonly heating: {
    readonly mean_rate_c_h: number | null;
    readonly max_rate_c_h: number | null;
    readonly max_rate_window_s: number;
    readonly last100_rate_c_h: number | null;
    /** Orton's chart at the final rate, without the soak. */
    readonly cone: ConeEquivalent | null;
    /** Our estimate with the hold at the peak read as a slower final rate (soak-cone.ts). */
    readonly cone_with_soak_estimate: SoakConeEstimate | null;
  };
  readonly spread: { readonly heating_max_c: number | null; readonly heating_p95_c: number | null; readonly at_peak_c: number | null };
  readonly schedule: { readonly max_dev_c: number; readonly mean_dev_c: number; readonly planned_duration_h: number } | null;
  readonly cooling_to_unload_h: number | null;
  readonly fuel: {
    readonly by_meter: readonly MeterFigure[];
    readonly source: MeterKind | null;
    readonly source_reason: string;
    /** false: no meter was complete and the best-covered one was taken (fuel_kg is then a lower bound). */
    readonly source_complete: boolean;
    readonly fuel_kg: number | null;
    /** Of the probable total (measured + gap estimate), the share that was not measured. */
    readonly unmeasured_pct: number | null;
    /** From the flow meter only: a register or a scale cannot show a peak. */
    readonly peak_flow_kg_h: number | null;
    /** fuel_kg over burning_h: from the start until the burners went out (last flow, else the cooling stage). */
    readonly mean_flow_kg_h: number | null;
    readonly burning_h: number;
  };
  readonly energy_mj: number | null;
  readonly co2_kg: number | null;
  readonly cost: { readonly cost_vnd: number; readonly unpriced_kg: number; readonly parts: readonly PricedPart[] } | null;
  readonly fuel_spec: FuelSpec;
  readonly quality: {
    readonly temp_coverage_pct: number;
    readonly gas_coverage_pct: number | null;
    readonly gaps: readonly GapSpan[];
    readonly late_points: number;
    /** '1m': some readings were rebuilt from one-minute aggregates, their raw readings having been
     *  dropped (docs/retention.md, with the tolerance); missing in summaries stored before: raw. */
    readonly resolution?: 'raw' | '1m';
  };
}
