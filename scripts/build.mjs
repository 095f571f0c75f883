// Bundles the service and the simulator into dist/ (plain JavaScript, node_modules left
// external) so that `npm start` runs them with node alone: running through tsx cost ~40 MB
// of resident memory per process here (ingest benchmark RSS target: 250 MB).
import { build } from 'esbuild';

await build({
  entryPoints: { server: 'src/server.ts', simulator: 'simulator/main.ts' },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

// The dashboard: browser bundle + static files into dist/dashboard/.
const { buildDashboard } = await import('./build-dashboard.mjs');
await buildDashboard();
