// The per-firing numbers the comparison, the median check and the roll-up need. Kept small so
// this folder does not depend on the firing tracker or the energy integration being written now:
// whoever has a finished firing (live or from InfluxDB) fills one of these.
import type { Confidence } from './figure.ts';

export interface FiringFigures {
  readonly firing_id: string;
  readonly workshop: string;
  readonly kiln: string;
  readonly started_at_ms: number; // UTC epoch ms; months are taken in local time (local-time.ts)
  readonly ware_kg: number | null; // loaded ware, furniture excluded
  readonly good_kg: number | null; // first-grade ware (kpis.ts good_kg); null until graded
  readonly lpg_kg: number | null;
  readonly energy_mj: number | null;
  readonly cost_vnd: number | null;
  readonly co2_kg: number | null;
  readonly duration_h: number | null;
  /** How sure the measured fuel is (gaps estimated, cylinder weighed by hand…). Default 'H'. */
  readonly confidence?: Confidence;
}

/** A usable value: finite and ≥ 0 (null, NaN, negative count as missing). */
export const usable = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined && Number.isFinite(v) && v >= 0;
