// The overview's frame times, measured in the page: scrolls the window down and up at a steady
// pace (px_per_s, a brisk flick) for ms while live updates flow, and records the gap between
// animation frames, long tasks (PerformanceObserver 'longtask', where the browser has it) and how
// many cards were in the page. Called through window.kilnDash by the fleet browser test and by
// bench/support/overview-frames.ts (npm run bench:overview), so both measure the same way.
import { live } from './live.ts';

export interface OverviewFrames {
  kilns_in_view_model: number;
  /** The most cards in the page at once while scrolling. */
  cards_rendered: number;
  frames: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  /** -1: the browser does not report long tasks. */
  long_tasks: number;
  long_task_max_ms: number;
  scrolled_px: number;
}

const pick = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;

export function overviewFrames(ms = 5000, px_per_s = 3000): Promise<OverviewFrames> {
  const doc = document.scrollingElement ?? document.documentElement;
  const longs: number[] = [];
  let observer: PerformanceObserver | null = null;
  try {
    observer = new PerformanceObserver((l) => { for (const e of l.getEntries()) longs.push(e.duration); });
    observer.observe({ type: 'longtask', buffered: false });
  } catch { observer = null; }
  const cardsNow = () => document.querySelectorAll('#kiln-cards .card').length;
  return new Promise((resolve) => {
    const gaps: number[] = [];
    let cards = cardsNow();
    let scrolled = 0;
    const t0 = performance.now();
    let last = t0;
    let dir = 1;
    const step = (now: number) => {
      const dt = now - last;
      gaps.push(dt);
      last = now;
      // Down to the end, then back up, and so on.
      const room = doc.scrollHeight - window.innerHeight;
      let y = doc.scrollTop + dir * (px_per_s * dt) / 1000;
      if (y >= room) { y = room; dir = -1; } else if (y <= 0) { y = 0; dir = 1; }
      scrolled += Math.abs(y - doc.scrollTop);
      window.scrollTo(0, y);
      if (gaps.length % 10 === 0) cards = Math.max(cards, cardsNow());
      if (now - t0 < ms) { requestAnimationFrame(step); return; }
      observer?.disconnect();
      const sorted = [...gaps].sort((a, b) => a - b);
      resolve({
        kilns_in_view_model: live.kilns.size, cards_rendered: Math.max(cards, cardsNow()), frames: sorted.length,
        p50_ms: pick(sorted, 0.5), p95_ms: pick(sorted, 0.95), max_ms: sorted.at(-1) ?? 0,
        long_tasks: observer ? longs.length : -1, long_task_max_ms: longs.length > 0 ? Math.max(...longs) : 0, scrolled_px: Math.round(scrolled),
      });
    };
    requestAnimationFrame((now) => { last = now; requestAnimationFrame(step); });
  });
}
