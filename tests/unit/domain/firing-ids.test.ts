// Detected firing ids: at most 40 characters whatever the kiln id, distinct per kiln and minute,
// and ids already given in the older, uncapped shape still name their firing.
import { describe, expect, it } from 'vitest';
import { detectedStartMs, firingId, foldFirings, legacyFiringId } from '../../../src/domain/firing/index.ts';
import { firingParams } from '../../../src/http/schemas/common.ts';
import { ID_PATTERN } from '../../../src/wire/topics.ts';
import { makeFiring } from '../../fixtures/firings/generate.ts';
import { CONE6_GLAZE } from '../../fixtures/firings/schedules.ts';

const T = Date.UTC(2025, 0, 10, 2, 3, 59);
const K25 = 'lo-gas-nha-ong-ba-tu-so-1'; // 25 characters: the longest kiln id kept whole
const K40A = 'lo-gas-hop-tac-xa-gom-su-bat-trang-so-01'; // 40 characters
const K40B = 'lo-gas-hop-tac-xa-gom-su-bat-trang-so-02';
const WS40 = 'hop-tac-xa-gom-su-bat-trang-xa-bat-trang';

describe('firingId', () => {
  it.each([
    { kiln: 'lo-ga-2', want: 'lo-ga-2-20250110T0203Z' },
    { kiln: K25, want: `${K25}-20250110T0203Z` },
    { kiln: `${K25}x`, want: /^lo-gas-nha-ong-ba-_[0-9a-z]{6}-20250110T0203Z$/ },
    { kiln: K40A, want: /^lo-gas-hop-tac-xa-_[0-9a-z]{6}-20250110T0203Z$/ },
  ])('$kiln → $want', ({ kiln, want }) => {
    const id = firingId(kiln, T);
    if (typeof want === 'string') expect(id).toBe(want);
    else expect(id).toMatch(want);
    expect(id.length).toBeLessThanOrEqual(40);
    expect(id).toMatch(ID_PATTERN);
  });

  it('stays unique: kilns sharing a long prefix, and minutes of one kiln', () => {
    const ids = [firingId(K40A, T), firingId(K40B, T), firingId(K40A, T + 60_000), firingId(K40B, T + 60_000)];
    expect(new Set(ids).size).toBe(4);
    expect(firingId(K40A, T)).toBe(firingId(K40A, T - 30_000)); // the same minute: the same firing
  });

  it('a firing detected on a 40-character kiln gets an id the API accepts', () => {
    const fx = makeFiring({ kiln: K40A, start_ms: T, legs: CONE6_GLAZE });
    const [f] = foldFirings(fx.points);
    expect(f?.by).toBe('detected');
    expect(f!.id.length).toBeLessThanOrEqual(40);
    expect(f!.id).toMatch(ID_PATTERN);
    expect(detectedStartMs(K40A, f!.id)).toBe(Math.floor(f!.start_ms / 60_000) * 60_000);
  });
});

describe('detectedStartMs: either shape, this kiln only', () => {
  const minute = Math.floor(T / 60_000) * 60_000;
  it.each([
    { name: 'the current shape', kiln: K40A, id: firingId(K40A, T), want: minute },
    { name: 'the older uncapped shape (55 characters)', kiln: K40A, id: legacyFiringId(K40A, T), want: minute },
    { name: 'a short kiln, both shapes the same', kiln: 'k1', id: 'k1-20250110T0203Z', want: minute },
    { name: "another kiln's id", kiln: K40B, id: firingId(K40A, T), want: null },
    { name: "another kiln's old id", kiln: K40B, id: legacyFiringId(K40A, T), want: null },
    { name: 'a controller id', kiln: K40A, id: 'F-001', want: null },
    { name: 'not a date', kiln: 'k1', id: 'k1-20251340T9999Z', want: null },
  ])('$name', ({ kiln, id, want }) => {
    expect(detectedStartMs(kiln, id)).toBe(want);
  });
});

describe('the report route takes 40-character workshop and kiln ids with either id shape', () => {
  it.each([
    { firing_id: firingId(K40A, T), ok: true },
    { firing_id: legacyFiringId(K40A, T), ok: true },
    { firing_id: `${K40A}x-20250110T0203Z`, ok: false }, // a 41-character kiln never existed
  ])('$firing_id → $ok', ({ firing_id, ok }) => {
    expect(firingParams.safeParse({ workshop: WS40, kiln: K40A, firing_id }).success).toBe(ok);
  });
});
