// What the overview cards add to the live view: each kiln's sparkline of the last 6 h and its
// running firing's usual gas. Both change slowly, so they are read once a minute (GET
// /api/live/spark, /api/live/usual-gas), not sent with every reading; a failure leaves "—".
import { api } from '../api.ts';
import { fmtKg, num, t } from '../i18n.ts';
import type { KilnLiveView, LiveSparks, LiveUsualGas } from '../types.ts';

type Spark = LiveSparks['kilns'][number];
type Usual = LiveUsualGas['kilns'][number];
const SVG = 'http://www.w3.org/2000/svg';
const W = 120;
const H = 32;

class Extras {
  readonly sparks = new Map<string, Spark>();
  readonly usual = new Map<string, Usual>();

  async load(): Promise<void> {
    const [s, u] = await Promise.allSettled([api<LiveSparks>('/api/live/spark'), api<LiveUsualGas>('/api/live/usual-gas')]);
    if (s.status === 'fulfilled') { this.sparks.clear(); for (const k of s.value.kilns) this.sparks.set(`${k.workshop}/${k.kiln}`, k); }
    if (u.status === 'fulfilled') { this.usual.clear(); for (const k of u.value.kilns) this.usual.set(`${k.workshop}/${k.kiln}`, k); }
  }
}
export const extras = new Extras();

/** An empty sparkline, filled by drawSpark. */
export function sparkEl(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('class', 'spark');
  svg.setAttribute('role', 'img');
  svg.setAttribute('preserveAspectRatio', 'none');
  return svg;
}

/** The last hours as a line scaled to its own range; gaps (no reading) break the line. */
export function drawSpark(svg: SVGSVGElement, s: Spark | undefined, now_c: number | null): void {
  const temps = s?.temps_c ?? [];
  const known = temps.filter((v): v is number => v !== null);
  const sig = `${s?.end_ms ?? ''}:${temps.join(',')}`;
  if (svg.dataset.sig === sig) return;
  svg.dataset.sig = sig;
  svg.replaceChildren();
  svg.dataset.points = String(known.length);
  const hours = s ? Math.round((temps.length * s.bucket_ms) / 3_600_000) : 0;
  if (known.length < 2) { svg.setAttribute('aria-label', t('spark_none')); return; }
  const lo = Math.min(...known), hi = Math.max(...known), span = Math.max(hi - lo, 10);
  const x = (i: number) => (i / Math.max(1, temps.length - 1)) * W;
  const y = (v: number) => H - 2 - ((v - lo) / span) * (H - 4);
  let run: string[] = [];
  const flush = () => {
    if (run.length > 1) { const p = document.createElementNS(SVG, 'polyline'); p.setAttribute('points', run.join(' ')); svg.append(p); }
    run = [];
  };
  temps.forEach((v, i) => { if (v === null) flush(); else run.push(`${x(i).toFixed(1)},${y(v).toFixed(1)}`); });
  flush();
  svg.setAttribute('aria-label', t('spark_label', { h: hours, lo: num(lo, 0), hi: num(hi, 0), now: now_c === null ? t('unknown') : num(now_c, 0) }));
}

/** "12,3 kg / usual 45,0 kg (27 %)", or the gas so far alone when there is no usual figure. */
export function gasVsUsual(v: KilnLiveView, u: Usual | undefined): { text: string; title: string; over: boolean } {
  const so_far = v.fuel.fuel_kg;
  if (!v.firing || !u || u.firing_id !== v.firing.id || u.fuel_kg === null || u.fuel_kg <= 0) {
    return { text: fmtKg(so_far), title: v.firing ? t('usual_gas_none') : '', over: false };
  }
  const pct = so_far === null ? null : (so_far / u.fuel_kg) * 100;
  return {
    text: t('usual_gas', { kg: fmtKg(so_far), usual: fmtKg(u.fuel_kg), pct: pct === null ? t('unknown') : num(pct, 0) }),
    title: t('usual_gas_title', { n: u.of_n }),
    over: pct !== null && pct > 100,
  };
}
