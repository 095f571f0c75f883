// Bundles the dashboard (dashboard/src/main.ts, Chart.js included) into dist/dashboard/ with its
// index.html and styles.css: everything the browser needs comes from the service, no CDN.
// Run by scripts/build.mjs (npm start's prestart) and by the browser tests before they start.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export async function buildDashboard(outdir = join(root, 'dist', 'dashboard')) {
  mkdirSync(outdir, { recursive: true });
  await build({
    entryPoints: [join(root, 'dashboard', 'src', 'main.ts')],
    outfile: join(outdir, 'app.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: ['chrome100', 'firefox100', 'safari15'],
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const f of ['index.html', 'styles.css']) copyFileSync(join(root, 'dashboard', f), join(outdir, f));
  return outdir;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDashboard();
