// The fleet benchmark's scenarios from FLEET_SCENARIOS: "kilns" (one reading every
// max(1, kilns / 1,000) s, so 1000 → 1 s and 10000 → 10 s: the same ~1,000 messages/s) or
// "kilns@seconds", comma-separated.

export interface Scenario { readonly kilns: number; readonly interval_s: number }

export function parseScenarios(s: string): Scenario[] {
  return s.split(',').map((x) => x.trim()).filter(Boolean).map((x) => {
    const [k, i, more] = x.split('@');
    const kilns = Number(k);
    const interval_s = i === undefined ? Math.max(1, Math.round(kilns / 1000)) : Number(i);
    if (more !== undefined || !Number.isInteger(kilns) || kilns < 1 || kilns > 20_000 || !Number.isInteger(interval_s) || interval_s < 1 || interval_s > 3600) {
      throw new Error(`FLEET_SCENARIOS: "${x}" is not kilns (1 to 20000) or kilns@seconds`);
    }
    return { kilns, interval_s };
  });
}
