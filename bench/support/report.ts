// Number formatting and the final table.
export const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : String(n);

export interface Row {
  readonly what: string;
  readonly measured: string;
  readonly target?: string;
  readonly pass?: boolean;
}

export function table(rows: readonly Row[]): string {
  const w0 = Math.max(...rows.map((r) => r.what.length), 4);
  const w1 = Math.max(...rows.map((r) => r.measured.length), 8);
  const w2 = Math.max(...rows.map((r) => (r.target ?? '').length), 6);
  const line = (a: string, b: string, c: string, d: string) => `  ${a.padEnd(w0)}  ${b.padStart(w1)}  ${c.padEnd(w2)}  ${d}`;
  const out = [line('', 'measured', 'target', ''), line('-'.repeat(w0), '-'.repeat(w1), '-'.repeat(w2), '----')];
  for (const r of rows) out.push(line(r.what, r.measured, r.target ?? '', r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL'));
  return out.join('\n');
}

/** Percentile (0..100) of an ascending sorted array, nearest rank. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Run fn n times one after another; median and max wall time, and the last result. */
export async function timed<T>(n: number, fn: () => Promise<T>): Promise<{ median_ms: number; max_ms: number; last: T }> {
  const xs: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    last = await fn();
    xs.push(performance.now() - t);
  }
  xs.sort((a, b) => a - b);
  return { median_ms: xs[Math.floor(xs.length / 2)]!, max_ms: xs[xs.length - 1]!, last: last as T };
}
