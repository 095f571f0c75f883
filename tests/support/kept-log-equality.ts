// A meter's kept readings (src/domain/firing/kept-log.ts) keep their numbers in private fields of a
// shared store, so toEqual would find any two logs alike. Two logs are equal here when they hold
// the same readings, whatever their stores' layout (tests/unit/domain/kept-log.test.ts shows that
// this can fail).
import { expect } from 'vitest';
import { KeptLog } from '../../src/domain/firing/kept-log.ts';

expect.addEqualityTesters([
  function keptLogsEqual(a: unknown, b: unknown): boolean | undefined {
    const la = a instanceof KeptLog, lb = b instanceof KeptLog;
    if (!la && !lb) return undefined;
    if (!la || !lb) return false;
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a.msAt(i) !== b.msAt(i) || a.kgAt(i) !== b.kgAt(i)) return false;
    return true;
  },
]);
