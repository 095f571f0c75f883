// While InfluxDB is behind, intake runs until its turn has spent INTAKE_TURN_BUDGET_MS, then lets
// the event loop turn (src/ingest/turn-budget.ts).
import { describe, expect, it } from 'vitest';
import { INTAKE_TURN_BUDGET_MS, TurnBudget } from '../../src/ingest/turn-budget.ts';

describe('TurnBudget', () => {
  it('is spent once a turn has run its budget, and starts again on the next turn', () => {
    let now = 1_000;
    const turns: (() => void)[] = [];
    const b = new TurnBudget(5, () => now, (f) => turns.push(f));
    expect(b.spent()).toBe(false); // the turn's first message starts its clock
    now += 4.9;
    expect(b.spent()).toBe(false);
    now += 0.1;
    expect(b.spent()).toBe(true);
    expect(b.spent()).toBe(true); // until the loop turns
    expect(turns).toHaveLength(1);
    turns.shift()!();
    now += 100; // time between turns (the drainer's, the broker's) does not count
    expect(b.spent()).toBe(false);
    expect(turns).toHaveLength(1);
  });

  it('lets a real event loop turn between budgets', async () => {
    const b = new TurnBudget(INTAKE_TURN_BUDGET_MS);
    let calls = 0;
    const t0 = performance.now();
    while (!b.spent()) calls++;
    const ran_ms = performance.now() - t0;
    expect(ran_ms).toBeGreaterThanOrEqual(INTAKE_TURN_BUDGET_MS);
    expect(calls).toBeGreaterThan(10);
    await new Promise((r) => setImmediate(r));
    expect(b.spent()).toBe(false);
  });
});
