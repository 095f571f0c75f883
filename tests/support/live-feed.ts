// A device message for kiln w/k1, decoded as the service decodes it and applied to a live state:
// the live view's unit tests feed their kilns this way.
import { expect } from 'vitest';
import { decodeMessage } from '../../src/domain/decode.ts';
import type { LiveState } from '../../src/live/live-state.ts';

const LIMITS = { max_payload_bytes: 1 << 20, max_future_ms: 60_000, max_past_ms: 1e12 };

export function feedLive(state: LiveState, kind: 'telemetry' | 'event', body: Record<string, unknown>, ts_ms: number): void {
  const d = decodeMessage(`kiln/v1/w/k1/${kind}`, JSON.stringify({ v: 1, ts_ms, ...body }), 200, ts_ms, LIMITS);
  expect(d.rejects).toEqual([]);
  state.apply(d.points);
}
