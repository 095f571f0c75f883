// Checks on records a schema cannot make: refusals (a figure that cannot be right) and warnings
// (a figure that can be right but is far from what is published; accepted and shown). Stored
// records are never re-judged by these: one saved by an older version still loads, and its
// problems are shown as warnings (baselineWarnings).
import type { CoalBaseline } from './records.ts';

/** What the piece checks read of a load and a grading. */
type Loaded = { readonly products: readonly { readonly product: string; readonly pieces: number }[] };
type Graded = { readonly products: readonly { readonly product: string; readonly first: number; readonly second: number; readonly reject: number }[] };

export interface Problem { readonly path: readonly (string | number)[]; readonly message: string }
export interface RecordWarning { readonly field: string; readonly message: string; readonly source: string | null }

/** Published ranges a box-kiln baseline is checked against (docs/sources.md, "Kilns and the coal baseline"). */
export const PUBLISHED = {
  coal_yield_pct: { min: 65, max: 80, source: 'Hanoi Energy Conservation Centre survey of coal kilns in Kim Lan (vneec.gov.vn), grade M' },
  sec_mj_per_kg_set: { min: 2.5, max: 85, source: 'UK Energy Consumption Guide 8 (1989), firing of earthenware 2.5–55 and china/porcelain 26–85 MJ/kg, grade H' },
} as const;

const fmt = (v: number) => String(Math.round(v * 100) / 100);

/** A yield of 1 or less reads as a fraction typed where a percentage belongs. */
function yieldProblem(yield_pct: number): string | null {
  if (yield_pct > 1) return null;
  return `${fmt(yield_pct)} looks like a fraction; yield is a percentage (0–100), did you mean ${fmt(yield_pct * 100)} %?`;
}

/** Refusals for a baseline being saved: each names its field and why. */
export function baselineProblems(b: Pick<CoalBaseline, 'yield_pct'>): Problem[] {
  const y = yieldProblem(b.yield_pct.value);
  return y === null ? [] : [{ path: ['yield_pct', 'value'], message: y }];
}

/** Plausible but unusual: outside the published range, with that range's source. */
export function baselineWarnings(b: CoalBaseline): RecordWarning[] {
  const out: RecordWarning[] = [];
  const y = b.yield_pct.value;
  const fraction = yieldProblem(y);
  // A stored record from before the refusal: shown, not hidden.
  if (fraction !== null) out.push({ field: 'yield_pct', message: fraction, source: null });
  else if (y < PUBLISHED.coal_yield_pct.min || y > PUBLISHED.coal_yield_pct.max) {
    out.push({ field: 'yield_pct', message: `${fmt(y)} % is outside the ${PUBLISHED.coal_yield_pct.min}–${PUBLISHED.coal_yield_pct.max} % published for coal kilns`, source: PUBLISHED.coal_yield_pct.source });
  }
  const sec = (b.coal_kg_per_firing.value * b.coal_ncv_mj_per_kg.value) / b.ware_kg_per_firing.value;
  const r = PUBLISHED.sec_mj_per_kg_set;
  if (sec < r.min || sec > r.max) {
    out.push({ field: 'coal_kg_per_firing', message: `coal × NCV ÷ ware = ${fmt(sec)} MJ per kg of ware, outside the ${r.min}–${r.max} MJ/kg published for firing tableware`, source: r.source });
  }
  return out;
}

/** Pieces per product (a product may appear once: the schemas check it). */
const piecesOf = (products: readonly { product: string; pieces: number }[]) => new Map(products.map((p) => [p.product, p.pieces]));
const gradedOf = (g: Graded) => g.products.map((p) => ({ product: p.product, pieces: p.first + p.second + p.reject }));

/** A grading that counts more pieces than were loaded (per product and in all). */
export function gradingProblems(g: Graded, load: Loaded | null): Problem[] {
  if (load === null) return [];
  const loaded = piecesOf(load.products);
  const out: Problem[] = [];
  gradedOf(g).forEach((p, i) => {
    const n = loaded.get(p.product);
    if (n !== undefined && p.pieces > n) out.push({ path: ['products', i], message: `${p.product}: ${p.pieces} pieces graded (first + second + reject), more than the ${n} loaded` });
  });
  const graded_total = gradedOf(g).reduce((s, p) => s + p.pieces, 0);
  const loaded_total = load.products.reduce((s, p) => s + p.pieces, 0);
  if (out.length === 0 && graded_total > loaded_total) out.push({ path: ['products'], message: `${graded_total} pieces graded in all, more than the ${loaded_total} loaded` });
  return out;
}

/** A load with fewer pieces than the grading already saved counted. */
export function loadProblems(load: Loaded, g: Graded | null): Problem[] {
  if (g === null) return [];
  const graded = piecesOf(gradedOf(g));
  const out: Problem[] = [];
  load.products.forEach((p, i) => {
    const n = graded.get(p.product);
    if (n !== undefined && n > p.pieces) out.push({ path: ['products', i, 'pieces'], message: `${p.pieces} is fewer than the ${n} pieces of ${p.product} already graded` });
  });
  return out;
}
