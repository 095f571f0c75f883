// Hysteresis for one alert key: raise after the level has been beyond the raise threshold (a
// breach, with no 'ok' in between) for raise_after_s, clear after it has been below the clear
// threshold ('ok', continuously) for clear_after_s. Times are device times, so a replay of the
// same readings raises and clears at the same instants. An active alert is never raised again.
import type { Level } from './types.ts';

export interface KeyState {
  readonly active: boolean;
  /** First breach of the current run (raise timer), or null. */
  readonly breach_since_ms: number | null;
  /** First 'ok' of the current run (clear timer), or null. */
  readonly ok_since_ms: number | null;
}

export const IDLE_KEY: KeyState = { active: false, breach_since_ms: null, ok_since_ms: null };

export function debounce(k: KeyState, level: Level, at_ms: number, raise_after_s: number, clear_after_s: number): { key: KeyState; change: 'raise' | 'clear' | null } {
  if (!k.active) {
    if (level === 'ok') return { key: k.breach_since_ms === null ? k : IDLE_KEY, change: null };
    const since = k.breach_since_ms ?? (level === 'breach' ? at_ms : null);
    if (since === null) return { key: k, change: null };
    if (level === 'breach' && at_ms - since >= raise_after_s * 1000) return { key: { active: true, breach_since_ms: null, ok_since_ms: null }, change: 'raise' };
    return { key: since === k.breach_since_ms ? k : { ...k, breach_since_ms: since }, change: null };
  }
  if (level !== 'ok') return { key: k.ok_since_ms === null ? k : { ...k, ok_since_ms: null }, change: null };
  const since = k.ok_since_ms ?? at_ms;
  if (at_ms - since >= clear_after_s * 1000) return { key: IDLE_KEY, change: 'clear' };
  return { key: since === k.ok_since_ms ? k : { ...k, ok_since_ms: since }, change: null };
}
