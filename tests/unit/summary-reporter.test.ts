// The closing line CI reads must count a file whose hook threw as failed, not as quietly skipped.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function runFixtures(): string {
  try {
    return execFileSync(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', '--config', 'tests/fixtures/reporter/vitest.config.ts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    return (err as { stdout: string }).stdout; // vitest exits 1: some fixtures fail on purpose
  }
}

describe('the summary reporter', () => {
  it('counts a throwing beforeAll or afterAll as a failure and names every failure before the closing line', () => {
    const out = runFixtures();
    const lines = out.trim().split('\n');
    expect(lines.at(-1)).toBe('2 passed, 3 failed, 2 skipped');
    const named = out.slice(out.indexOf('failed (3):')).split('\n').slice(1, 4).map((l) => l.trim()).sort();
    expect(named).toEqual([
      expect.stringMatching(/after-all\.fixture\.ts: boom in afterAll$/),
      expect.stringMatching(/before-all\.fixture\.ts: boom in beforeAll$/),
      expect.stringMatching(/plain\.fixture\.ts > fails: expected 1 to be 2/),
    ]);
  }, 60_000);
});
