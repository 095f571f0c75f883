// Builds the Fastify app from a running runtime. Never listens: src/server.ts does, and the
// tests call app.inject() against real dependencies.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Runtime } from './runtime.ts';
import { ingestRoutes } from './http/ingest-routes.ts';
import { firingRoutes } from './http/firing-routes.ts';
import { recordRoutes } from './http/record-routes.ts';
import { liveRoutes } from './http/live-routes.ts';
import { UsualGasSource } from './firings/usual-gas.ts';
import { curveRoutes } from './http/curve-routes.ts';
import { rollupRoutes } from './http/rollup-routes.ts';
import { dashboardRoutes } from './http/dashboard-routes.ts';
import { alertRoutes } from './http/alert-routes.ts';
import { openApiRoutes } from './http/openapi.ts';
import { errorHandler } from './http/common.ts';
import { metricsPlugin } from './http/metrics-text.ts';
import compress from '@fastify/compress';
import { BROTLI_OPTIONS } from './http/compression.ts';
import { authPlugin, type Access } from './http/auth.ts';
import { accessRoutes } from './http/access-routes.ts';
import { authRoutes } from './http/auth-routes.ts';
import { csrfRoute, hardeningPlugin } from './http/hardening.ts';
import { auditRoutes } from './http/audit-routes.ts';
import { deviceRoutes } from './http/device-routes.ts';

/** Every route the app registered (method, url, who may call it): the OpenAPI test checks each is
 *  documented, the access test calls each as every role. */
export const registeredRoutes = new WeakMap<FastifyInstance, RegisteredRoute[]>();
export interface RegisteredRoute { readonly method: string; readonly url: string; readonly access: Access | undefined }

export interface AppOptions {
  /** The service's logger (src/log.ts); without one the app logs nothing (most tests). */
  logger?: FastifyBaseLogger;
  /** The built dashboard (default: dist/dashboard, src/http/dashboard-routes.ts). */
  dashboard_dir?: string;
}

export async function buildApp(runtime: Runtime, opts: AppOptions = {}): Promise<FastifyInstance> {
  // Every route declares zod schemas: they validate requests, serialize (and strip) responses,
  // type the handlers, and make the OpenAPI document. Fastify's own request lines are off: one
  // line per request at debug instead (below).
  // bodyLimit: a bigger body is answered 413 before it is read (common.ts); trustProxy: behind a
  // reverse proxy the client's address (login limits, audit log) is the forwarded one.
  const app = Fastify({
    loggerInstance: opts.logger, logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: runtime.config.HTTP_BODY_LIMIT_KB * 1024, trustProxy: runtime.config.HTTP_TRUST_PROXY,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const routes: RegisteredRoute[] = [];
  registeredRoutes.set(app, routes);
  app.addHook('onRoute', (r) => {
    // Read when asked: the auth plugin's hook, after this one, marks the docs' and dashboard's files public.
    for (const m of [r.method].flat()) routes.push({ method: m, url: r.url, get access() { return (r.config as { access?: Access } | undefined)?.access; } });
  });
  // One error handler (src/http/common.ts): 4xx say what was wrong, InfluxDB down is 503, other
  // 5xx never leak internals and are logged there with their stack.
  app.setErrorHandler(errorHandler);
  // Requests at debug, not info: the dashboard's requests and Prometheus scrapes would bury the
  // service's own events; a 5xx is logged at error above whatever the level.
  app.addHook('onResponse', async (req, reply) => {
    req.log.debug({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 }, `${req.method} ${req.url} ${reply.statusCode}`);
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url}` }));
  // gzip/br for what is worth it (JSON, CSV, the dashboard's JS/CSS/HTML, /metrics) when the client
  // asks. Never an SSE stream (…/stream): a compressor holds events back until its buffer fills.
  app.addHook('onRoute', (r) => { if (r.url.endsWith('/stream')) r.compress = false; });
  await app.register(compress, { global: true, brotliOptions: BROTLI_OPTIONS });
  await app.register(authPlugin, { access: runtime.access }); // before the routes: every route must say who may call it
  // Headers, rate limits, CSRF, the audit log: after auth (they need the caller), before the routes.
  await app.register(hardeningPlugin, { login_per_min: runtime.config.RATE_LIMIT_LOGIN_PER_MIN, writes_per_min: runtime.config.RATE_LIMIT_WRITES_PER_MIN, audit: runtime.audit });
  await app.register(metricsPlugin, { runtime }); // before the routes: its onResponse hook times them all
  await app.register(openApiRoutes, { version: process.env.npm_package_version ?? 'dev' });
  await app.register(authRoutes, { access: runtime.access });
  await app.register(csrfRoute);
  await app.register(accessRoutes, { access: runtime.access });
  await app.register(ingestRoutes, { runtime });
  await app.register(firingRoutes, { firings: runtime.firings });
  if (runtime.config.LIVE_VIEW) await app.register(liveRoutes, { live: runtime.live, usualGas: new UsualGasSource(runtime.index) });
  else app.get('/api/live*', { schema: { hide: true }, config: { access: 'read' } }, (_req, reply) => reply.code(503).send({ error: 'live_view_off', message: 'the live view is off: start the service with LIVE_VIEW=true' }));
  await app.register(recordRoutes, { records: runtime.records, firings: runtime.firings });
  await app.register(rollupRoutes, { rollup: runtime.rollup });
  // The dashboard's firing curves; the app itself is served at / last (dist/dashboard, built by npm start).
  await app.register(curveRoutes, { curves: runtime.curves, firings: runtime.firings });
  await app.register(alertRoutes, { alerts: runtime.alerts });
  await app.register(auditRoutes, { audit: runtime.audit });
  await app.register(deviceRoutes, { access: runtime.access, config: runtime.config });
  await app.register(dashboardRoutes, { dir: opts.dashboard_dir });
  return app;
}

