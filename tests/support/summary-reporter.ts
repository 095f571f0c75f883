// CI reads one plain closing line, "N passed, N failed", not vitest's own summary.
import type { Reporter, TestModule } from 'vitest/node';

const short = (id: string): string => id.replace(/^.*?tests\//, 'tests/');
const firstLine = (e: unknown): string => (String((e as { message?: unknown })?.message ?? e).split('\n')[0] ?? '').slice(0, 200);

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    const retried: string[] = [];
    const failures: string[] = [];
    for (const m of modules) {
      let failedHere = 0;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed' && (t.diagnostic()?.retryCount ?? 0) > 0) retried.push(`${short(t.module.moduleId)} > ${t.fullName}`);
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          failedHere++;
          failures.push(`${short(m.moduleId)} > ${t.fullName}: ${firstLine(t.result().errors?.[0])}`);
        } else skipped++;
      }
      // A file that failed with no failed test in it (it did not load, or a beforeAll/afterAll hook
      // threw, which leaves its tests "skipped") is one failure, not a quiet skip.
      if (m.state() === 'failed' && failedHere === 0) {
        failed++;
        const hookErrors = [...m.children.allSuites()].flatMap((s) => s.errors());
        failures.push(`${short(m.moduleId)}: ${firstLine([...m.errors(), ...hookErrors][0] ?? 'failed outside its tests')}`);
      }
    }
    failed += errors.length;
    for (const e of errors) failures.push(`outside any test: ${firstLine(e)}`);
    // A timing test that failed once and then passed is counted as passed, but named here: a
    // pattern of names is a test to fix (integration tests get one retry: vitest.config.ts).
    if (retried.length) process.stdout.write(`\npassed only on a retry (${retried.length}):\n${retried.map((r) => `  ${r}`).join('\n')}\n`);
    // Named again at the very end, where a log's tail (all CI may show) still has them.
    if (failures.length) process.stdout.write(`\nfailed (${failures.length}):\n${failures.map((f) => `  ${f}`).join('\n')}\n`);
    process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
  }
}
