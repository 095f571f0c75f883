import { defineConfig } from 'vitest/config';

// Two projects: `unit` (the pure core, the spool, config, the simulator over an in-process
// broker) starts no service; `integration` (real Mosquitto, aedes, influxd, headless Chromium)
// shares one influxd and Mosquitto started by tests/support/global-setup.ts.
// `vitest run` runs both; `vitest run --project unit` runs the unit tests alone, in seconds.
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Integration tests start their own services on free ports; two workers keep the 2-core machine responsive.
    maxWorkers: 2,
    reporters: ['default', './tests/support/summary-reporter.ts'],
    // toEqual compares a meter's packed kept readings by their readings.
    setupFiles: ['tests/support/kept-log-equality.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'tests/browser/**/*.test.ts'],
          // Real brokers, databases and browsers on a busy 2-core machine: a test that fails once is
          // run again, and the summary names every test that passed only then.
          retry: 1,
          globalSetup: ['tests/support/global-setup.ts'],
        },
      },
    ],
  },
});
