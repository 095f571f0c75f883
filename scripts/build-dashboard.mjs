// Bundles the dashboard (dashboard/src/main.ts, Chart.js included, and styles.css) into
// dist/dashboard/ with its index.html: everything the browser needs comes from the service, no CDN.
// The bundle's names carry a hash of their content (app-3F2K7Q1A.js, styles-…css) and index.html
// is rewritten to name them: the service lets browsers keep those files for a year
// (src/http/dashboard-routes.ts) and a rebuild changes the names.
// Run by scripts/build.mjs (npm start's prestart) and by the browser tests before they start.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ICON_SIZES, iconPng } from './dashboard-icons.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** A built file whose name carries its content hash (served as immutable). */
export const HASHED_NAME = /^(app|styles)-[A-Z0-9]{8}\.(js|css)(\.map)?$/;

export async function buildDashboard(outdir = join(root, 'dist', 'dashboard')) {
  mkdirSync(outdir, { recursive: true });
  // Built beside outdir and moved in file by file (a rename replaces a file whole), so a page
  // loaded while another build runs (the browser tests build in each file, two files at a time)
  // never finds index.html half written or its bundle missing. A sibling folder keeps the source
  // map's relative paths, and with them the content hashes, the same as a build in outdir.
  const staging = mkdtempSync(join(dirname(outdir), `.${basename(outdir)}-build-`));
  try {
    const result = await build({
      entryPoints: { app: join(root, 'dashboard', 'src', 'main.ts'), styles: join(root, 'dashboard', 'styles.css') },
      outdir: staging,
      entryNames: '[name]-[hash]',
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: ['chrome100', 'firefox100', 'safari15'],
      minify: true,
      sourcemap: true,
      metafile: true,
      logLevel: 'warning',
    });
    const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
    const app = outputs.find((f) => /^app-.*\.js$/.test(f));
    const styles = outputs.find((f) => /^styles-.*\.css$/.test(f));
    if (!app || !styles) throw new Error(`dashboard build: no app or styles output in ${outputs.join(', ')}`);
    let html = readFileSync(join(root, 'dashboard', 'index.html'), 'utf8');
    for (const [from, to] of [['/styles.css', `/${styles}`], ['/app.js', `/${app}`]]) {
      if (!html.includes(`"${from}"`)) throw new Error(`dashboard/index.html no longer names "${from}": update scripts/build-dashboard.mjs`);
      html = html.replace(`"${from}"`, `"${to}"`);
    }
    writeFileSync(join(staging, 'index.html'), html);
    // The installable app: its manifest, icons and service worker (dashboard/sw.js), which keeps
    // exactly this build's shell (its version: the bundle's hashed names).
    const icons = ICON_SIZES.map((n) => `icon-${n}.png`);
    ICON_SIZES.forEach((n, i) => writeFileSync(join(staging, icons[i]), iconPng(n)));
    writeFileSync(join(staging, 'manifest.webmanifest'), readFileSync(join(root, 'dashboard', 'manifest.webmanifest')));
    const shell = ['/', `/${app}`, `/${styles}`, '/manifest.webmanifest', ...icons.map((f) => `/${f}`)];
    const sw = readFileSync(join(root, 'dashboard', 'sw.js'), 'utf8')
      .replace('self.__SHELL__', JSON.stringify(shell)).replace('self.__VERSION__', JSON.stringify(`${app}-${styles}`));
    writeFileSync(join(staging, 'sw.js'), sw);
    // The bundle before the page that names it.
    const built = readdirSync(staging).sort((a, b) => Number(a === 'index.html') - Number(b === 'index.html'));
    for (const f of built) renameSync(join(staging, f), join(outdir, f));
    // Earlier builds' files (other hashes, or the unhashed names builds used before).
    for (const f of readdirSync(outdir)) {
      if ((HASHED_NAME.test(f) && !built.includes(f)) || ['app.js', 'app.js.map', 'styles.css'].includes(f)) rmSync(join(outdir, f), { force: true });
    }
    return outdir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildDashboard();
