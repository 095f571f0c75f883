// The API's OpenAPI 3.1 document, served at GET /api/openapi.json, and a plain page listing it at
// GET /api/docs (no CDN: workshops are often offline). Parameters and bodies are the zod schemas
// the routes validate with, turned into JSON Schema by zod itself, so the document cannot drift
// from what a route accepts; a test checks that every route the app registers is documented and
// that every documented route exists.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { coalBaselineSchema, gradingRecordSchema, loadRecordSchema } from '../domain/savings/records.ts';
import { priceListSchema } from '../records/service.ts';
import { ackBody, historyQuery, settingsBody } from './alert-routes.ts';
import { curveQuery } from './curve-routes.ts';
import { listQuery } from './firing-routes.ts';
import { rejectsQuery } from './ingest-routes.ts';
import { rangeQuery, rollupQuery } from './rollup-routes.ts';

type Method = 'get' | 'put' | 'post';
interface Route {
  readonly method: Method;
  readonly path: string; // Fastify form, :param
  readonly tag: string;
  readonly summary: string;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly produces?: string; // default application/json
}

const W = '/api/workshops/:workshop';
const K = `${W}/kilns/:kiln`;
const F = `${K}/firings/:firing_id`;

export const ROUTES: readonly Route[] = [
  { method: 'get', path: '/api/health', tag: 'ingest', summary: 'Broker, database, spool, ingest rates, kilns, firing index and alert delivery' },
  { method: 'get', path: '/metrics', tag: 'ingest', summary: 'Prometheus counters, reasons and the InfluxDB write latency histogram', produces: 'text/plain' },
  { method: 'get', path: '/api/ingest/rejects', tag: 'ingest', summary: 'Rejected readings by reason, and the latest rejects', query: rejectsQuery },
  { method: 'get', path: '/api/live', tag: 'live', summary: 'Live state of every kiln: stage, zones, rate of rise, fuel, cost and CO2 so far, time to peak and end' },
  { method: 'get', path: '/api/live/stream', tag: 'live', summary: 'Server-Sent Events: a snapshot, then one kiln event per kiln update (Last-Event-ID resumes)', produces: 'text/event-stream' },
  { method: 'get', path: `${K}/firings`, tag: 'firings', summary: 'Firings of a kiln overlapping a time range, newest first, paginated', query: listQuery },
  { method: 'get', path: F, tag: 'firings', summary: 'A firing\'s report: summary, fuel by meter, energy, cost, CO2, data quality, load, grading, KPIs, coal baseline comparison' },
  { method: 'get', path: `${F}/readings.csv`, tag: 'firings', summary: 'Every stored reading of a firing as CSV', produces: 'text/csv' },
  { method: 'get', path: `${F}/curve`, tag: 'firings', summary: 'A firing\'s curves for charts (zones, schedule, gas, cumulative fuel, stage bands), in time buckets', query: curveQuery },
  { method: 'put', path: `${F}/load`, tag: 'records', summary: 'Save the load set in the kiln (a new version)', body: loadRecordSchema },
  { method: 'get', path: `${F}/load`, tag: 'records', summary: 'The current load' },
  { method: 'get', path: `${F}/load/history`, tag: 'records', summary: 'Every version of the load, newest first' },
  { method: 'put', path: `${F}/grading`, tag: 'records', summary: 'Save the grading after unloading (a new version)', body: gradingRecordSchema },
  { method: 'get', path: `${F}/grading`, tag: 'records', summary: 'The current grading' },
  { method: 'get', path: `${F}/grading/history`, tag: 'records', summary: 'Every version of the grading, newest first' },
  { method: 'post', path: `${W}/baselines`, tag: 'records', summary: 'Record a coal box-kiln baseline (each figure with its source and confidence)', body: coalBaselineSchema },
  { method: 'get', path: `${W}/baselines`, tag: 'records', summary: 'The workshop\'s baselines, newest first' },
  { method: 'put', path: `${W}/baselines/:baseline_id`, tag: 'records', summary: 'Edit a baseline: a new version under the same id', body: coalBaselineSchema },
  { method: 'get', path: `${W}/baselines/:baseline_id/history`, tag: 'records', summary: 'Every version of a baseline, newest first' },
  { method: 'get', path: '/api/prices', tag: 'records', summary: 'The dated LPG price list in force (saved, else the seed list)' },
  { method: 'put', path: '/api/prices', tag: 'records', summary: 'Save the dated LPG price list', body: priceListSchema },
  { method: 'get', path: '/api/rollup', tag: 'adviser', summary: 'Roll-up by village, workshop or kiln, per month or overall, with savings against the coal baselines', query: rollupQuery },
  { method: 'get', path: '/api/rollup.csv', tag: 'adviser', summary: 'The same roll-up as CSV', query: rollupQuery, produces: 'text/csv' },
  { method: 'get', path: `${W}/firings-figures`, tag: 'adviser', summary: 'Per-firing figures of a workshop (energy per kg, cost, CO2, yield inputs)', query: rangeQuery },
  { method: 'get', path: '/api/alerts', tag: 'alerts', summary: 'Active alerts of every kiln, newest first' },
  { method: 'get', path: '/api/alerts/stream', tag: 'alerts', summary: 'Server-Sent Events: active alerts, then raised, cleared and acked events', produces: 'text/event-stream' },
  { method: 'get', path: `${W}/alerts`, tag: 'alerts', summary: 'Alert history of a workshop, newest first', query: historyQuery },
  { method: 'post', path: `${K}/alerts/:alert_id/ack`, tag: 'alerts', summary: 'Acknowledge an alert', body: ackBody },
  { method: 'get', path: `${K}/alert-settings`, tag: 'alerts', summary: 'A kiln\'s alert thresholds (defaults when none saved)' },
  { method: 'put', path: `${K}/alert-settings`, tag: 'alerts', summary: 'Save a kiln\'s alert thresholds (any subset)', body: settingsBody },
  { method: 'get', path: '/api/openapi.json', tag: 'docs', summary: 'This document' },
  { method: 'get', path: '/api/docs', tag: 'docs', summary: 'This document as a page', produces: 'text/html' },
];

const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });
const openPath = (p: string) => p.replace(/:([a-z_]+)/g, '{$1}');
const PARAM_PATTERNS: Record<string, string> = { workshop: '^[A-Za-z0-9_-]{1,40}$', kiln: '^[A-Za-z0-9_-]{1,40}$' };

export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    const params: unknown[] = [...r.path.matchAll(/:([a-z_]+)/g)].map((m) => ({
      name: m[1], in: 'path', required: true, schema: { type: 'string', ...(PARAM_PATTERNS[m[1]!] ? { pattern: PARAM_PATTERNS[m[1]!] } : {}) },
    }));
    if (r.query) {
      const q = json(r.query) as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(q.properties ?? {})) params.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
    }
    const produces = r.produces ?? 'application/json';
    (paths[openPath(r.path)] ??= {})[r.method] = {
      tags: [r.tag], summary: r.summary,
      ...(params.length ? { parameters: params } : {}),
      ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: json(r.body) } } } } : {}),
      responses: {
        200: { description: 'OK', content: { [produces]: {} } },
        ...(params.length || r.body ? { 400: { $ref: '#/components/responses/BadRequest' } } : {}),
        ...(r.path.includes(':') ? { 404: { $ref: '#/components/responses/NotFound' } } : {}),
        ...(r.tag === 'records' || r.tag === 'alerts' ? { 503: { $ref: '#/components/responses/Unavailable' } } : {}),
      },
    };
  }
  const error = { type: 'object', required: ['error', 'message'], properties: { error: { type: 'string' }, message: { type: 'string' } } };
  const resp = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Kiln firing monitor API', version,
      description: 'Readings from gas kilns (MQTT in, docs/mqtt.md), firings and their fuel, energy, cost and CO2, records users enter, savings against coal baselines, live state and alerts. Every route under /api/workshops/{workshop} belongs to one workshop, so an access-control layer can scope it by that segment.',
    },
    tags: ['ingest', 'live', 'firings', 'records', 'adviser', 'alerts', 'docs'].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: error },
      responses: { BadRequest: resp('The request is invalid; the message names the field'), NotFound: resp('No such workshop, kiln, firing or record'), Unavailable: resp('InfluxDB cannot take or give records now; nothing was stored') },
    },
  };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function docsPage(): string {
  const rows = ROUTES.map((r) => `<tr><td><code>${r.method.toUpperCase()}</code></td><td><code>${esc(openPath(r.path))}</code></td><td>${esc(r.tag)}</td><td>${esc(r.summary)}</td></tr>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Kiln monitor API</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}td{border-bottom:1px solid #ddd;padding:.3rem .5rem;vertical-align:top}</style></head>
<body><h1>Kiln firing monitor API</h1><p>The machine-readable document: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1, with every parameter and body schema).</p>
<table>${rows}</table></body></html>`;
}

export const openApiRoutes = fp(async (app: FastifyInstance, opts: { version: string }) => {
  const doc = openApiDocument(opts.version);
  app.get('/api/openapi.json', async () => doc);
  app.get('/api/docs', async (_req, reply) => reply.header('content-type', 'text/html; charset=utf-8').send(docsPage()));
}, { name: 'openapi-routes' });
