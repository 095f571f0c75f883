// isValidId checks ids character by character (it runs for every channel of every reading); it
// must take exactly what ID_PATTERN, the documented rule, takes.
import { describe, expect, it } from 'vitest';
import { ID_PATTERN, isAlertTopic, isValidId } from '../../src/wire/topics.ts';

describe('isValidId', () => {
  it('agrees with ID_PATTERN on every character up to U+017F, alone and inside an id', () => {
    for (let c = 0; c <= 0x17f; c++) {
      const ch = String.fromCharCode(c);
      for (const id of [ch, `a${ch}`, `${ch}b`, `k1${ch}z`]) expect([id, isValidId(id)]).toEqual([id, ID_PATTERN.test(id)]);
    }
  });

  it('agrees on lengths, surrogate pairs and a trailing newline', () => {
    for (const id of ['', 'a'.repeat(40), 'a'.repeat(41), 'k1\n', 'k1\r\n', '🔥', 'lò-hộp', 'K_01-b', '-', '_', 'a b', 'a/b', 'a+b', '#', '$SYS']) {
      expect([id, isValidId(id)]).toEqual([id, ID_PATTERN.test(id)]);
    }
  });
});

describe('isAlertTopic', () => {
  it('is true for the service\'s alert topic only', () => {
    expect(isAlertTopic('kiln/v1/bt01/k1/alert')).toBe(true);
    for (const t of ['kiln/v1/bt01/k1/telemetry', 'kiln/v1/bt01/alert', 'kiln/v2/bt01/k1/alert', 'x/kiln/v1/bt01/k1/alert', 'kiln/v1/bt01/k1/alerts', 'kiln/v1/bt01/k1/x/alert']) {
      expect([t, isAlertTopic(t)]).toEqual([t, false]);
    }
  });
});
