// MINIMAL STAND-IN for the adviser roll-up API being built in main (issue 5 codes the dashboard
// against its contract; main's version replaces this file at merge):
//   GET /api/rollup?level=village|workshop|kiln&period=month|all&from=YYYY-MM-DD&to=YYYY-MM-DD[&workshop=ID]
//       → { level, period, from, to, rows: RollupRow[], skipped: {firing_id, reason}[] }
//   GET /api/rollup.csv?(same query)
//   GET /api/workshops/:workshop/firings-figures?from&to → { firings: FiringFigures[] }
// Kilns are the ones this process has seen (live view and device status): no kiln registry yet.
// Every closed firing's report is computed afresh (FiringService), so this is slow for long ranges.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toFiringFigures } from '../domain/report/index.ts';
import type { FiringFigures } from '../domain/savings/firing-figures.ts';
import { rollup, type RollupRow } from '../domain/savings/rollup.ts';
import type { CoalBaseline } from '../domain/savings/records.ts';
import { csvCell } from '../firings/csv.ts';
import type { FiringService, KilnRef } from '../firings/service.ts';
import type { RecordService } from '../records/service.ts';
import { ID_PATTERN } from '../wire/topics.ts';
import { badRequest } from './firing-routes.ts';

const DAY_MS = 86_400_000;
const id = z.string().regex(ID_PATTERN);
const range = {
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
};
const rollupQuery = z.object({ level: z.enum(['village', 'workshop', 'kiln']).default('workshop'), period: z.enum(['month', 'all']).default('month'), workshop: id.optional(), ...range });

/** Local dates (UTC+7) to a [from_ms, to_ms) window; default the last 30 days. */
function windowOf(q: { from?: string | undefined; to?: string | undefined }, now_ms: number) {
  const to = q.to ?? new Date(now_ms + 7 * 3600_000).toISOString().slice(0, 10);
  const from = q.from ?? new Date(Date.parse(`${to}T00:00:00+07:00`) - 30 * DAY_MS + 7 * 3600_000).toISOString().slice(0, 10);
  return { from, to, from_ms: Date.parse(`${from}T00:00:00+07:00`), to_ms: Date.parse(`${to}T00:00:00+07:00`) + DAY_MS };
}

export const rollupRoutes = fp(async (app: FastifyInstance, opts: { firings: FiringService; records: RecordService; kilns: () => KilnRef[] }) => {
  async function figures(w: { from_ms: number; to_ms: number }, workshop?: string) {
    const out: FiringFigures[] = [];
    const skipped: { firing_id: string; reason: string }[] = [];
    for (const k of opts.kilns().filter((k) => workshop === undefined || k.workshop === workshop)) {
      const list = await opts.firings.listFirings({ ...k, from_ms: w.from_ms, to_ms: w.to_ms, limit: 500 });
      for (const f of list.firings) {
        if (f.open) { skipped.push({ firing_id: f.id, reason: 'firing still open' }); continue; }
        const r = await opts.firings.firingReport({ ...k, firing_id: f.id });
        if (!r) { skipped.push({ firing_id: f.id, reason: 'report not found' }); continue; }
        out.push(toFiringFigures(r, k, r.load ?? undefined, r.grading ?? undefined));
      }
    }
    return { firings: out, skipped };
  }

  async function baselinesFor(firings: readonly FiringFigures[]) {
    const by = new Map<string, { kiln?: string | undefined; record: CoalBaseline }[]>();
    for (const ws of new Set(firings.map((f) => f.workshop))) by.set(ws, (await opts.records.baselines(ws)).map((b) => ({ kiln: b.record.kiln, record: b.record })));
    return (f: FiringFigures) => {
      const all = by.get(f.workshop) ?? [];
      return (all.find((b) => b.kiln === f.kiln) ?? all.find((b) => b.kiln === undefined))?.record;
    };
  }

  async function answer(query: unknown) {
    const q = rollupQuery.safeParse(query);
    if (!q.success) return { error: q.error.issues } as const;
    const w = windowOf(q.data, Date.now());
    if (!(w.from_ms < w.to_ms) || w.to_ms - w.from_ms > 366 * DAY_MS) return { error: [{ path: ['to'], message: 'from must be before to, at most 366 days apart' }] } as const;
    const f = await figures(w, q.data.workshop);
    const r = rollup(f.firings, { level: q.data.level, period: q.data.period, baselineFor: await baselinesFor(f.firings) });
    return { level: q.data.level, period: q.data.period, from: w.from, to: w.to, rows: r.rows, skipped: [...f.skipped, ...r.skipped] };
  }

  app.get('/api/rollup', async (req, reply) => {
    const a = await answer(req.query);
    return 'error' in a ? badRequest(reply, a.error ?? []) : a;
  });

  app.get('/api/rollup.csv', async (req, reply) => {
    const a = await answer(req.query);
    if ('error' in a) return badRequest(reply, a.error ?? []);
    return reply.header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="rollup_${a.level}_${a.period}_${a.from}_${a.to}.csv"`)
      .send(rollupCsv(a.rows));
  });

  app.get('/api/workshops/:workshop/firings-figures', async (req, reply) => {
    const p = z.object({ workshop: id }).safeParse(req.params);
    if (!p.success) return badRequest(reply, p.error.issues);
    const q = z.object(range).safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues);
    const f = await figures(windowOf(q.data, Date.now()), p.data.workshop);
    return { firings: f.firings };
  });
}, { name: 'rollup-routes' });

const COLS = ['workshop', 'kiln', 'month', 'firings', 'ware_kg', 'good_kg', 'lpg_kg', 'energy_mj', 'cost_vnd', 'co2_kg', 'duration_h',
  'sec_mj_per_kg_good_median', 'yield_pct', 'avoided_energy_mj', 'avoided_cost_vnd', 'avoided_co2_kg', 'savings_confidence'];

export function rollupCsv(rows: readonly RollupRow[]): string {
  const lines = rows.map((r) => [r.workshop ?? '', r.kiln ?? '', r.month ?? '', r.firings, r.ware_kg, r.good_kg, r.lpg_kg, r.energy_mj, r.cost_vnd, r.co2_kg, r.duration_h,
    r.sec_mj_per_kg_good?.median ?? '', r.yield_pct ?? '', r.savings?.energy_mj.avoided ?? '', r.savings?.cost_vnd.avoided ?? '', r.savings?.co2_kg.avoided ?? '',
    r.savings?.energy_mj.confidence ?? ''].map(csvCell).join(','));
  return [COLS.join(','), ...lines].join('\r\n') + '\r\n';
}
