// Chart.js, registered piece by piece (only what is used gets bundled). Long series follow the
// Chart.js performance guide: parsing off, animation off, sorted {x,y} data, the decimation
// plugin (LTTB) on a linear x axis in hours since the firing start (no date adapter needed).
import {
  BarController, BarElement, CategoryScale, Chart, Decimation, Filler, Legend, LinearScale, LineController, LineElement,
  PointElement, ScatterController, Tooltip, type ChartDataset, type Plugin,
} from 'chart.js';
import { chartLocale, stageName } from './i18n.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, BarController, BarElement, ScatterController, Decimation, Filler, Legend, Tooltip);

export type Pt = { x: number; y: number };
export interface Band { readonly stage: string; readonly from_h: number; readonly to_h: number }

const PALETTE = ['#c2410c', '#1d4ed8', '#047857', '#7c3aed', '#b45309', '#be123c', '#0e7490', '#4d7c0f'];
export const colour = (i: number) => PALETTE[i % PALETTE.length]!;
const BAND_FILL: Record<string, string> = {
  water_smoking: 'rgba(59,130,246,0.08)', heating: 'rgba(234,179,8,0.08)', burn_out: 'rgba(249,115,22,0.08)', quartz_inversion: 'rgba(168,85,247,0.1)',
  ramp_to_peak: 'rgba(239,68,68,0.08)', reduction: 'rgba(100,116,139,0.12)', soak: 'rgba(220,38,38,0.14)', cooling: 'rgba(14,165,233,0.08)',
};

/** Stage bands behind the curves, with the stage name at the top. */
const bandsPlugin: Plugin<'line'> = {
  id: 'stageBands',
  beforeDatasetsDraw(chart) {
    const bands = (chart.options.plugins as { stageBands?: { bands?: readonly Band[] } }).stageBands?.bands ?? [];
    const { ctx, chartArea: a, scales } = chart;
    const x = scales.x;
    if (!x || bands.length === 0) return;
    ctx.save();
    ctx.font = '10px system-ui, sans-serif';
    for (const b of bands) {
      const l = Math.max(a.left, x.getPixelForValue(b.from_h));
      const r = Math.min(a.right, x.getPixelForValue(b.to_h));
      if (r <= l) continue;
      ctx.fillStyle = BAND_FILL[b.stage] ?? 'rgba(0,0,0,0.04)';
      ctx.fillRect(l, a.top, r - l, a.bottom - a.top);
      if (r - l > 40) { ctx.fillStyle = '#475569'; ctx.fillText(stageName(b.stage), l + 3, a.top + 11, r - l - 6); }
    }
    ctx.restore();
  },
};

export interface LineOpts { readonly xTitle: string; readonly yTitle: string; readonly y2Title?: string; readonly bands?: readonly Band[] }

export function lineChart(canvas: HTMLCanvasElement, datasets: ChartDataset<'line', Pt[]>[], o: LineOpts): Chart<'line', Pt[]> {
  return new Chart<'line', Pt[]>(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [bandsPlugin],
    options: {
      locale: chartLocale(), // axis numbers in the app's language, not the browser's
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      spanGaps: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
      scales: {
        x: { type: 'linear', title: { display: true, text: o.xTitle }, ticks: { maxTicksLimit: 8 } },
        y: { type: 'linear', title: { display: true, text: o.yTitle } },
        ...(o.y2Title ? { y2: { type: 'linear' as const, position: 'right' as const, title: { display: true, text: o.y2Title }, grid: { drawOnChartArea: false } } } : {}),
      },
      plugins: {
        decimation: { enabled: true, algorithm: 'lttb', samples: 800, threshold: 1000 },
        legend: { labels: { boxWidth: 12 } },
        ...({ stageBands: { bands: o.bands ?? [] } } as object),
      },
    },
  });
}

export function setBands(chart: Chart<'line', Pt[]>, bands: readonly Band[]): void {
  (chart.options.plugins as { stageBands?: { bands?: readonly Band[] } }).stageBands = { bands };
}

export const series = (label: string, data: Pt[], i: number, extra: Partial<ChartDataset<'line', Pt[]>> = {}): ChartDataset<'line', Pt[]> =>
  ({ label, data, borderColor: colour(i), backgroundColor: colour(i), ...extra });

export const toPts = (xs: readonly (readonly [number, number])[]): Pt[] => xs.map(([x, y]) => ({ x, y }));

export { Chart };
