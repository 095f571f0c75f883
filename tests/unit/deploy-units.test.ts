// The shipped systemd unit parses (systemd-analyze verify, when the machine has it) and starts
// the service the way `npm start` does, so the two cannot drift apart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const unitPath = new URL('../../deploy/systemd/kiln-monitor.service', import.meta.url).pathname;
const unit = readFileSync(unitPath, 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

describe('deploy/systemd/kiln-monitor.service', () => {
  it('runs the same command line as npm start', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } };
    const exec = /^ExecStart=\/usr\/bin\/(.*)$/m.exec(unit)?.[1];
    expect(exec).toBe(pkg.scripts.start);
  });

  it('gives the service more time to stop than its own spool deadline', () => {
    expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1])).toBeGreaterThan(10);
  });

  const verify = (path: string): string => {
    // verify also warns about the missing user and folder on this machine; only syntax errors count.
    const r = spawnSync('systemd-analyze', ['verify', path], { encoding: 'utf8' });
    const out = `${r.stdout}${r.stderr}`;
    return out;
  };
  const BAD = /Unknown (key|section)|Invalid|Failed to parse/i;

  it.skipIf(!hasAnalyze)('is a valid unit for systemd-analyze verify (which does catch a misspelt key)', () => {
    expect(verify(unitPath)).not.toMatch(BAD);
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    const bad = join(dir, 'kiln-monitor.service');
    writeFileSync(bad, unit.replace(/^Restart=always$/m, 'Restartt=always'));
    expect(verify(bad)).toMatch(BAD);
  });
});
