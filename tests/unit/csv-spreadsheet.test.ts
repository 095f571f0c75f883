// The CSVs an adviser opens in a spreadsheet (src/firings/csv.ts, src/rollup/csv.ts), read back
// the way a spreadsheet reads them: the byte-order mark says UTF-8, the header's separator is
// the comma, quoted fields may hold commas, quotes and line breaks, and the local-time column is
// ISO 8601 at +07:00 that names the same instant as ts_ms.
import { describe, expect, it } from 'vitest';
import type { Point } from '../../src/domain/point.ts';
import { rollup } from '../../src/domain/savings/rollup.ts';
import { ANTHRACITE_IPCC_2006, coalBaselineSchema } from '../../src/domain/savings/records.ts';
import { readingsCsv, readingsCsvWide } from '../../src/firings/csv.ts';
import { rollupCsv } from '../../src/rollup/csv.ts';

/** RFC 4180 as LibreOffice and Excel read it: BOM → UTF-8, then fields, quotes doubled inside quotes. */
function readSpreadsheet(bytes: Buffer): { bom: boolean; separator: string; rows: string[][] } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const text = bytes.subarray(bom ? 3 : 0).toString(bom ? 'utf8' : 'latin1');
  const firstLine = text.slice(0, text.indexOf('\r\n'));
  const separator = [',', ';', '\t'].sort((a, b) => firstLine.split(b).length - firstLine.split(a).length)[0]!;
  const rows: string[][] = [];
  let row: string[] = [], cell = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { row.push(cell); cell = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
    else cell += c;
  }
  if (cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return { bom, separator, rows };
}
const records = (rows: string[][]) => rows.slice(1).map((r) => Object.fromEntries(rows[0]!.map((h, i) => [h, r[i]!])));

/** A local ISO 8601 time with its offset, as a spreadsheet's date parser takes it apart. */
function localParts(s: string): { ms: number; hour: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\+07:00$/.exec(s);
  if (!m) throw new Error(`not ISO 8601 at +07:00: ${s}`);
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return { ms: Date.UTC(y, mo - 1, d, h, mi, se) - 7 * 3_600_000, hour: h };
}

const T0 = Date.UTC(2026, 10, 3, 20, 30, 0, 250); // 03:30:00.250 on 4 Nov in Hà Nội
const tags = (channel: string, type?: string) => ({ workshop: 'bát-tràng', kiln: 'lò1', channel, ...(type ? { type } : {}) });
const POINTS: Point[] = [
  { measurement: 'temperature', tags: tags('top'), fields: { temp_c: 812.4 }, ts_ms: T0 },
  { measurement: 'gas_flow', tags: tags('burner'), fields: { flow_kg_h: 0.1 + 0.2 }, ts_ms: T0 },
  { measurement: 'temperature', tags: tags('bottom'), fields: { temp_c: 790 }, ts_ms: T0 + 10_000 },
  { measurement: 'event', tags: tags('controller', 'note'), fields: { seq: 3, data_json: '{"text":"lò \\"1\\", cửa mở",\n"n":2}' }, ts_ms: T0 + 10_000 },
];

describe('firing readings CSV, long form', () => {
  const sheet = readSpreadsheet(Buffer.from([...readingsCsv(POINTS)].join(''), 'utf8'));
  const rows = records(sheet.rows);
  it('UTF-8 with a BOM, comma-separated, the old columns kept with the local time beside', () => {
    expect(sheet.bom).toBe(true);
    expect(sheet.separator).toBe(',');
    expect(sheet.rows[0]).toEqual(['ts', 'ts_local', 'ts_ms', 'measurement', 'channel', 'field', 'value', 'type']);
    expect(rows).toHaveLength(1 + 1 + 1 + 2); // one per stored value: three readings, two event fields
  });
  it('quoted fields come back whole, Vietnamese intact', () => {
    const note = rows.find((r) => r.field === 'data_json')!;
    expect(note.value).toContain('\n');
    expect(JSON.parse(note.value!)).toEqual({ text: 'lò "1", cửa mở', n: 2 });
    expect(note.type).toBe('note');
  });
  it('local time names the same instant as ts_ms, 7 h ahead of UTC', () => {
    for (const r of rows) {
      const local = localParts(r.ts_local!);
      expect(local.ms).toBe(Math.floor(Number(r.ts_ms) / 1000) * 1000);
      expect(local.hour).toBe((new Date(Number(r.ts_ms)).getUTCHours() + 7) % 24);
    }
    expect(rows[0]!.ts_local).toBe('2026-11-04T03:30:00+07:00');
  });
  it('values without float noise', () => {
    expect(rows.find((r) => r.field === 'flow_kg_h')!.value).toBe('0.3');
  });
});

describe('firing readings CSV, wide form', () => {
  const sheet = readSpreadsheet(Buffer.from([...readingsCsvWide(POINTS)].join(''), 'utf8'));
  it('one row per instant, one column per channel; events left to the long form', () => {
    expect(sheet.bom).toBe(true);
    expect(sheet.rows[0]).toEqual(['ts', 'ts_local', 'ts_ms', 'gas_flow.burner.flow_kg_h', 'temperature.bottom.temp_c', 'temperature.top.temp_c']);
    const rows = records(sheet.rows);
    expect(rows.map((r) => Number(r.ts_ms))).toEqual([T0, T0 + 10_000]);
    expect(rows[0]).toMatchObject({ 'temperature.top.temp_c': '812.4', 'gas_flow.burner.flow_kg_h': '0.3', 'temperature.bottom.temp_c': '' });
    expect(rows[1]).toMatchObject({ 'temperature.bottom.temp_c': '790', ts_local: '2026-11-04T03:30:10+07:00' });
  });
});

describe('roll-up CSV', () => {
  const src = (value: number) => ({ value, source: 'sổ than, "2004"', confidence: 'M' as const });
  const baseline = coalBaselineSchema.parse({
    workshop: 'bát-tràng', period: { from: '2004-01-01', to: '2004-12-31' },
    coal_kg_per_firing: src(1000), ware_kg_per_firing: src(800), yield_pct: src(70), ...ANTHRACITE_IPCC_2006, recorded_at_ms: 0, by: 'x',
  });
  const fig = { firing_id: 'A', workshop: 'bát-tràng', kiln: 'lò1', started_at_ms: T0, ware_kg: 900.04, good_kg: 810.123, lpg_kg: 100.0001, energy_mj: 4730.0047, cost_vnd: 3_530_000.4, co2_kg: 298.5123, duration_h: 20.04 };
  const r = rollup([fig], { level: 'kiln', period: 'month', baselineFor: () => baseline });
  const sheet = readSpreadsheet(Buffer.from(rollupCsv(r.rows), 'utf8'));
  const row = records(sheet.rows)[0]!;
  it('BOM, the local month start beside its epoch ms, rounded figures', () => {
    expect(sheet.bom).toBe(true);
    expect(sheet.separator).toBe(',');
    expect(row).toMatchObject({ workshop: 'bát-tràng', kiln: 'lò1', month: '2026-11', month_start_local: '2026-11-01T00:00:00+07:00', ware_kg: '900', good_kg: '810.1', energy_mj: '4730', cost_vnd: '3530000', co2_kg: '298.5', duration_h: '20' });
    expect(localParts(row.month_start_local!).ms).toBe(Number(row.month_start_ms));
  });
  it('avoided energy with its range and percentage, as the domain gives them, rounded', () => {
    const s = r.rows[0]!.savings!.energy_mj;
    expect(Number(row.avoided_energy_mj)).toBe(Math.round(s.avoided));
    expect(Number(row.avoided_energy_mj_low)).toBe(Math.round(s.avoided_low));
    expect(Number(row.avoided_energy_mj_high)).toBe(Math.round(s.avoided_high));
    expect(Number(row.avoided_energy_pct)).toBe(Math.round(s.avoided_pct! * 10) / 10);
    expect(Number(row.avoided_energy_pct_low)).toBe(Math.round(s.avoided_pct_low! * 10) / 10);
    expect(Number(row.baseline_energy_rel_error_pct)).toBe(Math.round(s.rel_error * 1000) / 10);
    expect(row.avoided_energy_confidence).toBe('M');
    expect(row.avoided_cost_vnd).toBe(''); // no coal price in the baseline: no cost line
  });
});
