// An SSE client over fetch for tests: the raw text and the parsed events as they arrive, each
// with its arrival time (performance.now(), for latency figures).
export interface SseEvent { id: number; event: string; data: unknown; at: number }

export async function openSse(url: string, headers: Record<string, string> = {}) {
  const ac = new AbortController();
  const res = await fetch(url, { signal: ac.signal, headers });
  const events: SseEvent[] = [];
  let raw = '';
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  let ended = false;
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) { ended = true; return; }
        const text = dec.decode(value, { stream: true });
        raw += text;
        buf += text;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const f: Record<string, string> = {};
          for (const line of buf.slice(0, i).split('\n')) {
            const c = line.indexOf(': ');
            if (!line.startsWith(':') && c > 0) f[line.slice(0, c)] = line.slice(c + 2);
          }
          buf = buf.slice(i + 2);
          if (f.event && f.data) events.push({ id: Number(f.id), event: f.event, data: JSON.parse(f.data), at: performance.now() });
        }
      }
    } catch { /* aborted */ }
  })();
  /** ended(): the server ended the stream (not our close). */
  return { res, events, raw: () => raw, ended: () => ended, close: async () => { ac.abort(); await pump; } };
}
