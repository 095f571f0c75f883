// The report's kiln temperature leaves out a thermocouple in fault, as the tracker does: a false
// 1,750 °C (upscale burn-out) never becomes the report's peak, nor its cone.
import { describe, expect, it } from 'vitest';
import { instants, type TempAt } from '../../../src/domain/report/series.ts';
import { peakOf } from '../../../src/domain/report/thermal.ts';

const MIN = 60_000;
const series = (f: (i: number) => number | null, n = 60): TempAt[] =>
  Array.from({ length: n }, (_, i) => ({ ts_ms: i * MIN, temp_c: f(i) })).filter((x): x is TempAt => x.temp_c !== null);
const ramp = (i: number) => 1000 + 4 * Math.min(i, 50) - 2 * Math.max(0, i - 50); // peaks at 1,200 °C at minute 50

describe('report peak with a thermocouple in fault', () => {
  it.each([
    { what: 'healthy zones', bottom: (i: number) => ramp(i) - 10, peak: 1200 },
    { what: 'bottom burns out upscale at minute 30', bottom: (i: number) => (i >= 30 ? 1750 : ramp(i) - 10), peak: 1200 },
    { what: 'bottom reads 1,750 °C for 5 min, then recovers', bottom: (i: number) => (i >= 20 && i < 25 ? 1750 : ramp(i) - 10), peak: 1200 },
    { what: 'bottom drops to 0 (open circuit, downscale)', bottom: (i: number) => (i >= 30 ? 0 : ramp(i) - 10), peak: 1200 },
    { what: 'bottom is the hotter zone, no fault', bottom: (i: number) => ramp(i) + 15, peak: 1215 },
  ])('$what: peak $peak °C', ({ bottom, peak }) => {
    const xs = instants({ top: series(ramp), bottom: series(bottom) }, 100);
    expect(peakOf(xs)!.peak_c).toBe(peak);
  });

  it('without the fault rule (the previous report) the false reading was the peak', () => {
    const xs = instants({ top: series(ramp), bottom: series((i) => (i >= 30 ? 1750 : ramp(i))) });
    expect(peakOf(xs)!.peak_c).toBe(1750);
  });
});
