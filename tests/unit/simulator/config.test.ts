// Custom kilns and schedules from JSON/YAML, with one-line errors; CSV export read back for replay.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvSink, parseCsv } from '../../../simulator/csv.ts';
import { buildFleet, loadConfig } from '../../../simulator/fleet.ts';
import { runFleet } from './fleet-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'kilnsim-'));
const file = (name: string, text: string) => { const p = join(dir, name); writeFileSync(p, text); return p; };

describe('config files', () => {
  it('reads a YAML fleet with a custom kiln and schedule', () => {
    const p = file('ok.yaml', `workshop: ws2
firings:
  quick:
    schedule: { segments: [ { rate_c_h: 150, target_c: 900, hold_min: 10 } ] }
kilns:
  - { id: Big, preset: k18, firing: cone10red }
  - { id: Mine, spec: { volume_m3: 2, ware_kg: 300, zones: [a, b, c] }, firing: quick, start_h: 2 }
faults:
  - { type: flame_out, kiln: Mine, at_h: 3, duration_min: 10 }
`);
    const c = loadConfig(p);
    const { fleet, faults } = buildFleet({ kilns: 0, seed: 1, sim_start_ms: 0, interval_s: 10, cool_until_c: 200, stagger_min: 0, config: c });
    expect(fleet.map((k) => k.id)).toEqual(['Big', 'Mine']);
    expect(fleet[1]!.model.opt.spec.zones).toEqual(['a', 'b', 'c']);
    expect(fleet[1]!.model.opt.start_ms).toBe(2 * 3_600_000);
    expect(faults).toHaveLength(1);
  });

  it('reports each problem on one line with its path', () => {
    const p = file('bad.json', JSON.stringify({ kilns: [{ id: 'a/b', spec: { volume_m3: -1 }, firing: 'nope' }] }));
    let msg = '';
    try { loadConfig(p); } catch (e) { msg = (e as Error).message; }
    const lines = msg.split('\n');
    expect(lines.some((l) => l.startsWith(`${p}: kilns.0.id:`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${p}: kilns.0.spec.volume_m3:`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${p}: kilns.0.firing: unknown firing "nope"`))).toBe(true);
    expect(() => loadConfig(file('broken.yaml', 'kilns: [\n'))).toThrow(/broken\.yaml: /);
  });
});

describe('CSV export and replay input', () => {
  it('round-trips every telemetry reading', () => {
    const { msgs } = runFleet({ kilns: 2, hours: 2 });
    const lines: string[] = [];
    const sink = csvSink(['top', 'bottom'], (l) => lines.push(l));
    for (const m of msgs) sink(m.topic, m.out);
    const rows = parseCsv(lines.join('\n'));
    const sent = msgs.filter((m) => m.out.kind === 'telemetry').map((m) => JSON.parse((m.out as { payload: string }).payload));
    expect(rows).toHaveLength(sent.length);
    const { v: _v, ...first } = sent[0];
    expect(rows[0]!.reading).toEqual(first);
    expect(rows[0]!.kiln).toBe('K01');
  });
  it('names the line of a bad cell', () => {
    expect(() => parseCsv('ts_ms,temp_top\n1000,12\n2000,hot\n')).toThrow('CSV line 3: temp_top "hot" is not a number');
  });
});
