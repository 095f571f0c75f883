// .env.example lists every configuration key with its default: keep it and the schema in step.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEYS, loadConfig } from '../../src/config.ts';

describe('.env.example', () => {
  const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const entries = new Map(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

  it('lists every key of the schema and no other', () => {
    expect([...entries.keys()].sort()).toEqual([...CONFIG_KEYS].sort());
  });

  it('shows the real default of every key', () => {
    const defaults = loadConfig({});
    for (const [key, value] of entries) {
      const d = defaults[key as keyof typeof defaults];
      expect(value, key).toBe(d === undefined ? '' : String(d));
    }
  });
});
