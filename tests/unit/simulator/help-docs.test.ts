// The simulator's --help and docs/simulator.md give the same --speed range, and it is the one the
// flag parser enforces (they once disagreed: the help said 1 to 1000, the parser took 0.01).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HELP, SPEED_MAX, SPEED_MIN, parseCli } from '../../../simulator/cli.ts';

const docs = readFileSync(new URL('../../../docs/simulator.md', import.meta.url), 'utf8');
const plain = (s: string) => Number(s.replace(/,/g, ''));

describe('--speed range', () => {
  it('is the same in --help, docs/simulator.md and the parser', () => {
    const help = /--speed X\s+simulated seconds per second, ([\d.,]+) to ([\d.,]+)/.exec(HELP);
    const doc = /`--speed X`\s*\n?\s*\(([\d.,]+)[–-]([\d.,]+)/.exec(docs);
    expect(help, 'the --speed line of HELP').not.toBeNull();
    expect(doc, 'the --speed range in docs/simulator.md').not.toBeNull();
    expect([plain(help![1]!), plain(help![2]!)]).toEqual([SPEED_MIN, SPEED_MAX]);
    expect([plain(doc![1]!), plain(doc![2]!)]).toEqual([SPEED_MIN, SPEED_MAX]);
    expect(parseCli(['--speed', String(SPEED_MIN)], 0).speed).toBe(SPEED_MIN);
    expect(parseCli(['--speed', String(SPEED_MAX)], 0).speed).toBe(SPEED_MAX);
    expect(() => parseCli(['--speed', String(SPEED_MIN / 2)], 0)).toThrow(/--speed/);
    expect(() => parseCli(['--speed', String(SPEED_MAX * 2)], 0)).toThrow(/--speed/);
  });
});
