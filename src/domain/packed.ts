// Numbers packed as signed 32-bit integers counted from a base: a meter's kept readings
// (firing/kept-log.ts) and the live fuel checkpoints (live/ring.ts), 4 bytes a number, not 8.

export const INT32_MAX = 2 ** 31 - 1;

/** Gas is kept to the milligram: far below what any meter or fit can see (docs/analytics.md). */
export const MG_PER_KG = 1e6;

/** Whether x can be counted from base in a signed 32-bit integer (±24.8 days of ms, ±2,147 kg of mg). */
export const countsFrom = (base: number, x: number): boolean => Math.abs(x - base) <= INT32_MAX;
