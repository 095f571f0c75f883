// The dashboard, served by the service itself from local files (workshops are often
// offline: no CDN). scripts/build.mjs bundles dashboard/ into dist/dashboard/. Any GET that is not
// under /api/ and names no file gets index.html (the app routes by path, history API).
// Files go out through @fastify/static (ETag and Last-Modified: a reload is answered 304) and
// @fastify/compress (src/app.ts). The bundle's names carry its content hash
// (scripts/build-dashboard.mjs), so browsers keep those for a year without asking; index.html,
// which names them, is revalidated on every load (no-cache), so a rebuilt dashboard is picked up at once.
import { stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, normalize, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** A bundle file named by its content hash (app-3F2K7Q1A.js): it never changes under that name. */
const HASHED_NAME = /^(app|styles)-[A-Z0-9]{8}\.(js|css)(\.map)?$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** dist/dashboard beside the bundle (dist/server.mjs), else under the working directory (tsx, tests). */
export function defaultDashboardDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const beside = join(here, 'dashboard');
  return existsSync(join(beside, 'index.html')) ? beside : resolve(process.cwd(), 'dist', 'dashboard');
}

export const dashboardRoutes = fp(async (app: FastifyInstance, opts: { dir?: string }) => {
  const root = opts.dir ?? defaultDashboardDir();

  // In a scope of its own: reply.sendFile is not decorated on the whole app.
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root, serve: false });

    scope.get('/*', async (req, reply) => {
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
      if (!isFile && extname(path) !== '') return reply.code(404).send({ error: 'not_found', message: `no file ${path}` });
      const target = isFile ? relative(root, file) : 'index.html';
      if (!isFile && !existsSync(join(root, target))) {
        return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build` (npm start does it).');
      }
      reply.header('cache-control', HASHED_NAME.test(basename(target)) ? IMMUTABLE : 'no-cache');
      return reply.sendFile(target, { cacheControl: false });
    });
  });
}, { name: 'dashboard-routes' });
