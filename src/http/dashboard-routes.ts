// The dashboard, served by the service itself from local files (workshops are often
// offline: no CDN). scripts/build.mjs bundles dashboard/ into dist/dashboard/. Any GET that is not
// under /api/ and names no file gets index.html (the app routes by path, history API).
import { readFile, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json; charset=utf-8',
};

/** dist/dashboard beside the bundle (dist/server.mjs), else under the working directory (tsx, tests). */
export function defaultDashboardDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'dashboard');
  return existsSync(join(beside, 'index.html')) ? beside : resolve(process.cwd(), 'dist', 'dashboard');
}

export const dashboardRoutes = fp(async (app: FastifyInstance, opts: { dir?: string }) => {
  const root = opts.dir ?? defaultDashboardDir();

  app.get('/*', async (req, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0] ?? '/');
    } catch {
      return reply.code(400).send({ error: 'bad_request', message: 'malformed URL' });
    }
    if (path === '/api' || path.startsWith('/api/')) return reply.code(404).send({ error: 'not_found', message: `no route GET ${req.url}` });
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) return reply.code(404).send({ error: 'not_found', message: 'outside the dashboard' });
    const isFile = await stat(file).then((s) => s.isFile(), () => false);
    const target = isFile ? file : join(root, 'index.html');
    if (!isFile && extname(path) !== '') return reply.code(404).send({ error: 'not_found', message: `no file ${path}` });
    let body: Buffer;
    try {
      body = await readFile(target);
    } catch {
      return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build` (npm start does it).');
    }
    // No-cache: small files on a local network; a rebuilt dashboard is picked up at once.
    return reply.header('cache-control', 'no-cache').type(TYPES[extname(target)] ?? 'application/octet-stream').send(body);
  });
}, { name: 'dashboard-routes' });
