// The shipped systemd unit parses (systemd-analyze verify, when the machine has it) and starts
// the service the way `npm start` does, so the two cannot drift apart.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmStart } from '../support/npm-start.ts';

const unitPath = new URL('../../deploy/systemd/kiln-monitor.service', import.meta.url).pathname;
const unit = readFileSync(unitPath, 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;
/** What the large-fleet line puts in place of `--max-semi-space-size=16` (docs/deploy.md). */
const LARGE_FLEET_FLAGS = ['--max-semi-space-size=8', '--no-allocation-site-pretenuring', '--heap-growing-percent=20'];
/** The node flags of a command line "node <flags> dist/server.mjs". */
const nodeFlags = (command: string): string[] => { const w = command.split(' '); return w.slice(1, w.indexOf('dist/server.mjs')); };
/** Node run with these flags, printing V8's heap size limit. */
const heapLimit = (flags: readonly string[]) => spawnSync(process.execPath, [...flags, '-e', 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)'], { encoding: 'utf8' });

describe('deploy/systemd/kiln-monitor.service', () => {
  it('runs the same command line as npm start, with the same environment settings', () => {
    const start = npmStart();
    const exec = /^ExecStart=\/usr\/bin\/(.*)$/m.exec(unit)?.[1];
    expect(exec).toBe(start.command);
    expect(Object.keys(start.env)).toContain('MALLOC_ARENA_MAX');
    for (const [k, v] of Object.entries(start.env)) expect(unit).toContain(`\nEnvironment=${k}=${v}\n`);
  });

  it('starts with node flags this Node.js takes (a misspelt V8 flag stops node at once)', () => {
    const flags = nodeFlags(npmStart().command);
    expect(flags).toContain('--max-old-space-size=384');
    expect(flags).toContain('--no-page-promotion'); // young pages not moved whole into the old space (docs/deploy.md)
    const ok = spawnSync(process.execPath, [...flags, '-e', '0'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [...flags, '--max-old-space-sise=384', '-e', '0'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
  });

  it('offers a large fleet\'s line: the same command with a smaller young generation and two V8 flags this Node.js takes', () => {
    const exec = /^ExecStart=\/usr\/bin\/(.*)$/m.exec(unit)?.[1];
    const fleet = /^#ExecStart=\/usr\/bin\/(.*)$/m.exec(unit)?.[1];
    expect(exec).toBeDefined();
    expect(fleet).toBe(exec!.replace('--max-semi-space-size=16', LARGE_FLEET_FLAGS.join(' ')));
    const ok = heapLimit(nodeFlags(fleet!));
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    // The young generation is what the smaller semi-space changes: the heap's limit is smaller by it.
    const usual = heapLimit(nodeFlags(exec!));
    expect(Number(ok.stdout)).toBeGreaterThan(0);
    expect(Number(ok.stdout)).toBeLessThan(Number(usual.stdout));
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

describe('deploy/systemd/kiln-monitor@.service (one instance of several on a shared broker)', () => {
  const templatePath = new URL('../../deploy/systemd/kiln-monitor@.service', import.meta.url).pathname;
  const template = readFileSync(templatePath, 'utf8');

  it('runs what the single unit runs, under a fixed client id per instance, restarted whatever ended it', () => {
    expect(/^ExecStart=(.*)$/m.exec(template)?.[1]).toBe(/^ExecStart=(.*)$/m.exec(unit)?.[1]);
    expect(/^#ExecStart=(.*)$/m.exec(template)?.[1]).toBeDefined();
    expect(/^#ExecStart=(.*)$/m.exec(template)?.[1]).toBe(/^#ExecStart=(.*)$/m.exec(unit)?.[1]);
    for (const [k, v] of Object.entries(npmStart().env)) expect(template).toContain(`\nEnvironment=${k}=${v}\n`);
    expect(template).toMatch(/^Environment=MQTT_CLIENT_ID=kiln-%i$/m);
    expect(template).toMatch(/^Environment=DATA_DIR=\/var\/lib\/kiln-monitor\/%i$/m);
    expect(template).toMatch(/^Restart=always$/m);
    expect(Number(/^TimeoutStopSec=(\d+)$/m.exec(template)?.[1])).toBeGreaterThan(10);
  });

  it.skipIf(!hasAnalyze)('is a valid unit for systemd-analyze verify, as an instance', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    const one = join(dir, 'kiln-monitor@1.service');
    writeFileSync(one, template);
    const out = spawnSync('systemd-analyze', ['verify', one], { encoding: 'utf8' });
    expect(`${out.stdout}${out.stderr}`).not.toMatch(/Unknown (key|section)|Invalid|Failed to parse/i);
  });
});
