// Firings overlaid on one time base, hours since each one's own start, so firings that began on
// different days line up: the kiln temperature on one chart, cumulative gas on the other (the
// question a potter asks is "did this one take more gas to get as hot").
import { lineChart, series, toPts, type Chart, type Pt } from '../charts.ts';
import { t } from '../i18n.ts';
import type { FiringCurve } from '../types.ts';

export interface Overlaid { readonly label: string; readonly curve: FiringCurve }

export class OverlayCharts {
  private charts: Chart<'line', Pt[]>[] = [];

  constructor(private readonly tempCanvas: HTMLCanvasElement, private readonly gasCanvas: HTMLCanvasElement) {}

  draw(firings: readonly Overlaid[]): void {
    this.destroy();
    const temp = firings.map((f, i) => series(f.label, toPts(f.curve.kiln_c), i));
    const gas = firings.map((f, i) => series(f.label, toPts(f.curve.fuel_kg), i));
    this.charts = [
      lineChart(this.tempCanvas, temp, { xTitle: t('hours_since_start'), yTitle: '°C' }),
      lineChart(this.gasCanvas, gas, { xTitle: t('hours_since_start'), yTitle: 'kg' }),
    ];
    // How many series have points (the browser test waits for two on each chart).
    this.tempCanvas.setAttribute('data-series', String(temp.filter((d) => d.data.length > 0).length));
    this.gasCanvas.setAttribute('data-series', String(gas.filter((d) => d.data.length > 0).length));
  }

  destroy(): void {
    for (const c of this.charts) c.destroy();
    this.charts = [];
  }
}
