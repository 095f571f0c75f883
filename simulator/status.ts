// The live status line (stderr) and the exit summary.
import type { Session } from './session.ts';
import type { FiringTruth } from './model/truth.ts';

export function statusLine(s: Session): string {
  const phases: Record<string, number> = {};
  for (const k of s.fleet) phases[k.model.phase] = (phases[k.model.phase] ?? 0) + 1;
  const shown = s.fleet.slice(0, 3).map((k) => {
    const m = k.model;
    const stage = m.phase === 'firing' ? `seg ${m.ctl.seg + 1}/${m.opt.firing.schedule.segments.length} ${m.ctl.phase}` : m.phase;
    return `${k.id} ${m.opt.firing.name} ${stage} ${m.thermal.charge_c.toFixed(0)}°C ${m.flow_kg_h.toFixed(1)}kg/h`;
  });
  const st = s.link?.stats();
  const net = st ? `sent ${st.sent} acked ${st.acked} queued ${st.queued}${st.errors ? ` errors ${st.errors}` : ''}` : 'no broker';
  const ph = Object.entries(phases).map(([p, n]) => `${n} ${p}`).join(', ');
  return `${new Date(s.runner.simNowMs()).toISOString().slice(0, 19)}Z | kilns ${s.fleet.length} (${ph}) | ${shown.join(' | ')}${s.fleet.length > 3 ? ' | …' : ''} | ${net}`;
}

export function summaryLines(truth: readonly FiringTruth[]): string[] {
  const lines = truth.map((t) => `${t.kiln} ${t.firing} ${t.stop_reason ?? t.state} ${(t.duration_s / 3600).toFixed(2)} h, ` +
    `fuel ${t.fuel_kg.toFixed(2)} kg LPG (${t.lpg_kg_per_kg_ware.toFixed(3)} kg/kg ware, ${t.cylinder_swaps} cylinder swaps), ` +
    `peak ${t.peak_c.toFixed(0)} °C, waited ${(t.behind_s / 60).toFixed(0)} min, energy balance error ${t.energy_mj.balance_error_pct.toFixed(4)} %`);
  const fuel = truth.reduce((a, t) => a + t.fuel_kg, 0);
  lines.push(`total fuel ${fuel.toFixed(2)} kg LPG over ${truth.length} kiln(s) (exact, ground truth)`);
  return lines;
}
