// Seeded pseudo-random numbers. The simulator never calls Math.random: the same --seed
// must give byte-identical output. mulberry32 (public domain, Tommy Ettinger) is tiny and fast
// enough for 10,000 kilns; its 32-bit state is stored in a plain object so a kiln's state stays data.
export interface Rng {
  s: number;
}

export function makeRng(seed: number): Rng {
  return { s: seed >>> 0 };
}

/** Uniform in [0, 1). */
export function uniform(r: Rng): number {
  r.s = (r.s + 0x6d2b79f5) >>> 0;
  let t = r.s;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Standard normal (Box–Muller; the second value is dropped to keep the state one number). */
export function gauss(r: Rng): number {
  const u = Math.max(uniform(r), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform(r));
}

/** Derive an independent seed from a root seed and labels (FNV-1a over the text, then mixed). */
export function deriveSeed(seed: number, ...labels: (string | number)[]): number {
  let h = (2166136261 ^ (seed >>> 0)) >>> 0;
  for (const ch of labels.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619) >>> 0;
  }
  h ^= h >>> 16;
  return Math.imul(h, 0x45d9f3b) >>> 0;
}
