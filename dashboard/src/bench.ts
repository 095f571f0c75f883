// The dashboard's drawing check: a 24 h firing at 1 Hz (86,400 points per zone) drawn with
// LTTB decimation. Called by the browser test through window.kilnDash; returns the build+draw
// time and the longest of the next frames, so a stutter shows as a long frame.
import { lineChart, series, type Pt } from './charts.ts';

export async function benchChart(points = 86_400, zones = 4): Promise<{ draw_ms: number; max_frame_ms: number; drawn_points: number }> {
  const box = document.createElement('div');
  box.style.cssText = 'position:relative;width:800px;height:300px';
  document.body.append(box);
  const canvas = document.createElement('canvas');
  box.append(canvas);
  const ds = Array.from({ length: zones }, (_, z) => {
    const d: Pt[] = new Array<Pt>(points);
    for (let i = 0; i < points; i++) d[i] = { x: i / 3600, y: 20 + Math.min(1250, i * 0.05) - z * 5 + Math.sin(i / 50) * 2 };
    return series(`z${z}`, d, z);
  });
  const arrays = ds.map((d) => d.data); // dataset.data is the decimated copy once LTTB has run
  const t0 = performance.now();
  const chart = lineChart(canvas, ds, { xTitle: 'h', yTitle: '°C' });
  const draw_ms = performance.now() - t0;
  let max_frame_ms = 0;
  let last = performance.now();
  for (let f = 0; f < 30; f++) {
    // Append one point per zone per frame, as live updates do, and redraw.
    for (const d of arrays) { const p = d[d.length - 1]!; d.push({ x: p.x + 1 / 3600, y: p.y }); }
    chart.update('none');
    await new Promise((r) => requestAnimationFrame(r));
    const now = performance.now();
    max_frame_ms = Math.max(max_frame_ms, now - last);
    last = now;
  }
  const drawn_points = (chart.getDatasetMeta(0).data ?? []).length;
  chart.destroy();
  box.remove();
  return { draw_ms, max_frame_ms, drawn_points };
}
