// A firing known to the service without firing it: an open firing put in the firing index, as the
// indexer keeps one (records are saved only for firings that exist, open or closed).
import { recordOf } from '../../src/domain/firing/fold.ts';
import type { FiringIndexStore } from '../../src/firings/index-store.ts';

export async function indexOpenFiring(index: FiringIndexStore, workshop: string, kiln: string, id: string, start_ms = Date.now() - 3_600_000): Promise<void> {
  const record = recordOf({ id, by: 'controller', start_ms, end_ms: null, reason: null, target_c: null, peak_c: null, peak_ms: null, last100_rate_c_h: null, cone: null, stages: [], gaps: [] });
  await index.put({ workshop, kiln }, { record, summary: null, schedule_name: null, prices_key: '', computed_at_ms: Date.now() });
}
