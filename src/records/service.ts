// Records users enter, over RecordStore: a firing's load and grading, a workshop's coal
// baselines, the LPG price list. Also what the firing report needs from them (ReportRecords).
// Stored JSON is parsed again with the domain schemas on the way out: a record written by an
// older version that no longer fits is reported as missing, never passed on half-understood.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { DEFAULT_LPG_PRICES } from '../domain/analytics/energy-prices.ts';
import type { PriceEntry } from '../domain/analytics/energy.ts';
import { coalBaselineSchema, gradingRecordSchema, loadRecordSchema, type CoalBaseline, type GradingRecord, type LoadRecord } from '../domain/savings/records.ts';
import type { KilnRef, ReportRecords } from '../firings/service.ts';
import { PRICES_WORKSHOP, type RecordStore, type StoredRecord } from './store.ts';

export const priceEntrySchema = z.strictObject({
  valid_from: z.iso.date(),
  vnd_per_kg: z.number().positive().max(10_000_000),
  source: z.string().trim().min(1).max(300),
});
export const priceListSchema = z.strictObject({
  prices: z.array(priceEntrySchema).min(1).max(1000),
  by: z.string().trim().min(1).max(80),
});
export type PriceList = z.infer<typeof priceListSchema>;

export interface FiringRef extends KilnRef { readonly firing_id: string }

export interface Saved<T> { readonly saved_at_ms: number; readonly saved_at: string; readonly by: string; readonly record: T }
export interface SavedBaseline extends Saved<CoalBaseline> { readonly id: string }
export interface CurrentPrices {
  readonly prices: readonly PriceEntry[];
  /** 'default': the seed list (no list saved yet). */
  readonly source: 'saved' | 'default';
  readonly saved_at_ms: number | null;
  readonly by: string | null;
}

function saved<T>(s: StoredRecord, schema: z.ZodType<T>): Saved<T> | null {
  const r = schema.safeParse(s.record);
  return r.success ? { saved_at_ms: s.saved_at_ms, saved_at: new Date(s.saved_at_ms).toISOString(), by: s.by, record: r.data } : null;
}

export class RecordService implements ReportRecords {
  /** Called after a load or grading is saved, with the firing's current pair (runtime.ts: the
   *  firing index rewrites that firing's roll-up figures). A failure there is not the save's. */
  onEntered: ((f: FiringRef, entered: { load: LoadRecord | null; grading: GradingRecord | null }) => Promise<void>) | null = null;

  constructor(private readonly store: RecordStore) {}

  private async entered(f: FiringRef): Promise<void> {
    if (!this.onEntered) return;
    await this.onEntered(f, await this.firingRecords(f)).catch(() => undefined);
  }

  async saveLoad(f: FiringRef, load: LoadRecord): Promise<Saved<LoadRecord>> {
    const s = await this.store.save({ kind: 'load', workshop: f.workshop, kiln: f.kiln, key: f.firing_id }, load.by, load);
    await this.entered(f);
    return saved(s, loadRecordSchema)!;
  }

  async saveGrading(f: FiringRef, grading: GradingRecord): Promise<Saved<GradingRecord>> {
    const s = await this.store.save({ kind: 'grading', workshop: f.workshop, kiln: f.kiln, key: f.firing_id }, grading.by, grading);
    await this.entered(f);
    return saved(s, gradingRecordSchema)!;
  }

  async load(f: FiringRef): Promise<Saved<LoadRecord> | null> {
    const s = await this.store.current({ kind: 'load', workshop: f.workshop, kiln: f.kiln, key: f.firing_id });
    return s ? saved(s, loadRecordSchema) : null;
  }

  async grading(f: FiringRef): Promise<Saved<GradingRecord> | null> {
    const s = await this.store.current({ kind: 'grading', workshop: f.workshop, kiln: f.kiln, key: f.firing_id });
    return s ? saved(s, gradingRecordSchema) : null;
  }

  /** Versions of a firing's load or grading, newest first. */
  async history(kind: 'load' | 'grading', f: FiringRef): Promise<Saved<LoadRecord | GradingRecord>[]> {
    const schema = kind === 'load' ? loadRecordSchema : gradingRecordSchema;
    const all = await this.store.history({ kind, workshop: f.workshop, kiln: f.kiln, key: f.firing_id });
    return all.flatMap((s) => { const x = saved<LoadRecord | GradingRecord>(s, schema); return x ? [x] : []; });
  }

  async addBaseline(b: CoalBaseline): Promise<SavedBaseline> {
    const id = `bl-${randomUUID()}`;
    const s = await this.store.save({ kind: 'baseline', workshop: b.workshop, key: id }, b.by, b);
    return { id, ...saved(s, coalBaselineSchema)! };
  }

  /** A new version of a baseline (its id stays); null when the workshop has no baseline of that id. */
  async updateBaseline(id: string, b: CoalBaseline): Promise<SavedBaseline | null> {
    const ref = { kind: 'baseline' as const, workshop: b.workshop, key: id };
    if (!(await this.store.current(ref))) return null;
    const s = await this.store.save(ref, b.by, b);
    return { id, ...saved(s, coalBaselineSchema)! };
  }

  /** Every version of one baseline, newest first (empty when there is none). */
  async baselineHistory(workshop: string, id: string): Promise<SavedBaseline[]> {
    const all = await this.store.history({ kind: 'baseline', workshop, key: id });
    return all.flatMap((s) => { const x = saved(s, coalBaselineSchema); return x ? [{ id, ...x }] : []; });
  }

  /** Current baselines of every workshop (or one). */
  async allBaselines(workshop?: string): Promise<SavedBaseline[]> {
    const all = await this.store.listAll('baseline', workshop);
    return all.flatMap((s) => { const x = saved(s, coalBaselineSchema); return x ? [{ id: s.key, ...x }] : []; }).sort((a, b) => b.saved_at_ms - a.saved_at_ms);
  }

  /** A workshop's baselines, newest saved first. */
  async baselines(workshop: string): Promise<SavedBaseline[]> {
    const all = await this.store.list('baseline', workshop);
    return all.flatMap((s) => { const x = saved(s, coalBaselineSchema); return x ? [{ id: s.key, ...x }] : []; });
  }

  async currentPrices(): Promise<CurrentPrices> {
    const s = await this.store.current({ kind: 'prices', workshop: PRICES_WORKSHOP, key: 'lpg' });
    const x = s ? saved(s, priceListSchema) : null;
    return x
      ? { prices: x.record.prices, source: 'saved', saved_at_ms: x.saved_at_ms, by: x.by }
      : { prices: DEFAULT_LPG_PRICES, source: 'default', saved_at_ms: null, by: null };
  }

  async savePrices(list: PriceList): Promise<CurrentPrices> {
    const s = await this.store.save({ kind: 'prices', workshop: PRICES_WORKSHOP, key: 'lpg' }, list.by, list);
    return { prices: list.prices, source: 'saved', saved_at_ms: s.saved_at_ms, by: list.by };
  }

  // ReportRecords: what the firing report adds.
  async prices(): Promise<readonly PriceEntry[]> {
    return (await this.currentPrices()).prices;
  }

  async firingRecords(f: FiringRef): Promise<{ load: LoadRecord | null; grading: GradingRecord | null }> {
    const [load, grading] = await Promise.all([this.load(f), this.grading(f)]);
    return { load: load?.record ?? null, grading: grading?.record ?? null };
  }

  /** The kiln's own newest baseline, else the workshop's newest one for all its kilns. */
  async baselineFor(k: KilnRef): Promise<{ id: string; record: CoalBaseline } | null> {
    const all = await this.baselines(k.workshop);
    const b = all.find((x) => x.record.kiln === k.kiln) ?? all.find((x) => x.record.kiln === undefined);
    return b ? { id: b.id, record: b.record } : null;
  }
}
