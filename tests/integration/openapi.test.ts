// The OpenAPI document the service serves is generated from the routes themselves: every route
// the app registers is in it (Swagger UI's own files aside), everything in it is a route, and
// every route documents its parameters, body and answers with the schemas it validates and
// serializes with.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { registeredRoutes } from '../../src/app.ts';

type Schema = { type?: string; required?: string[]; properties?: Record<string, Schema>; enum?: unknown[] };
interface Op {
  parameters?: { name: string; in: string; required: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { description?: string; content?: Record<string, { schema: Schema }> }>;
}
type Doc = { openapi: string; paths: Record<string, Record<string, Op>> };

/** POSTs that take no body: the action is in the URL (or is the whole point). */
const NO_BODY = new Set(['POST /api/auth/logout', 'POST /api/users/{user_id}/password-reset']);

/** Routes that write something other than JSON, and what they write. */
const RAW: Readonly<Record<string, string>> = {
  'GET /metrics': 'text/plain',
  'GET /api/live/stream': 'text/event-stream',
  'GET /api/alerts/stream': 'text/event-stream',
  'GET /api/workshops/{workshop}/kilns/{kiln}/firings/{firing_id}/readings.csv': 'text/csv',
  'GET /api/rollup.csv': 'text/csv',
};

describe('OpenAPI document', () => {
  let svc: InProcess;
  let doc: Doc;
  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('openapi') }, inject('influxUrl'));
    const res = await svc.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    doc = res.json<Doc>();
  });
  afterAll(() => svc?.stop());

  const ops = () => Object.entries(doc.paths).flatMap(([path, byMethod]) => Object.entries(byMethod).map(([m, op]) => ({ key: `${m.toUpperCase()} ${path}`, path, method: m, op })));

  it('documents exactly the routes the app serves (the dashboard files at / and the docs page\'s own files aside)', () => {
    expect(doc.openapi).toBe('3.1.0');
    const served = registeredRoutes.get(svc.app)!
      .filter((r) => r.method !== 'HEAD' && r.url !== '/*' && r.url !== '/api/docs' && !r.url.startsWith('/api/docs/'))
      .map((r) => `${r.method} ${r.url.replace(/:([a-z_]+)/g, '{$1}')}`);
    expect([...new Set(served)].sort()).toEqual(ops().map((o) => o.key).sort());
  });

  it('gives every route its parameters, body and answers; JSON answers with their schema, errors with the shared one', () => {
    for (const { key, path, method, op } of ops()) {
      for (const name of [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1])) {
        expect(op.parameters?.find((p) => p.name === name), `${key}: ${name}`).toMatchObject({ in: 'path', required: true, schema: { type: 'string' } });
      }
      if ((method === 'put' || method === 'post' || method === 'patch') && !NO_BODY.has(key)) expect(op.requestBody?.content['application/json']?.schema.type, key).toBe('object');
      if (NO_BODY.has(key)) expect(op.requestBody, key).toBeUndefined();
      const ok = op.responses['200'] ?? op.responses['201'];
      expect(ok, key).toBeDefined();
      if (RAW[key]) {
        expect(Object.keys(ok!.content ?? {}), key).toEqual([RAW[key]]);
        continue;
      }
      const schema = ok!.content?.['application/json']?.schema;
      expect(schema?.type, key).toBe('object');
      expect(Object.keys(schema?.properties ?? {}).length, key).toBeGreaterThan(0);
      for (const [code, r] of Object.entries(op.responses)) {
        if (Number(code) < 400) continue;
        expect(r.content?.['application/json']?.schema, `${key} ${code}`).toMatchObject({ required: ['error', 'message'] });
      }
      if (op.parameters?.length || op.requestBody) expect(op.responses['400'], key).toBeDefined();
    }
  });

  it('documents 401 and 403 on every route behind a login, and no 403 on the public ones', () => {
    const access = new Map(registeredRoutes.get(svc.app)!.map((r) => [`${r.method} ${r.url.replace(/:([a-z_]+)/g, '{$1}')}`, r.access]));
    const pub: string[] = [];
    for (const { key, op } of ops()) {
      expect(access.has(key), key).toBe(true);
      if (access.get(key) === 'public') {
        pub.push(key);
        expect(op.responses['403'], key).toBeUndefined(); // (login's own 401 is a wrong password)
      } else {
        expect(op.responses['401'], key).toBeDefined();
        expect(op.responses['403'], key).toBeDefined();
      }
    }
    expect(pub.sort()).toEqual(['GET /api/auth/csrf', 'GET /api/health', 'GET /api/health/live', 'GET /api/health/ready', 'GET /api/openapi.json', 'GET /metrics', 'POST /api/auth/login', 'POST /api/auth/logout']);
  });

  it('gives the schemas the routes validate with: a body missing a required field is refused naming it', async () => {
    const put = doc.paths['/api/workshops/{workshop}/kilns/{kiln}/firings/{firing_id}/load']!.put!;
    const schema = put.requestBody!.content['application/json']!.schema;
    expect(schema.required).toContain('ware_kg');
    const res = await svc.app.inject({ method: 'PUT', url: '/api/workshops/w1/kilns/k1/firings/f1/load', payload: { by: 'Lan', recorded_at_ms: 1, products: [], furniture_kg: 1 } });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ message: string }>().message).toMatch(/ware_kg/);
    const roll = doc.paths['/api/rollup']!.get!.parameters!;
    expect(roll.find((p) => p.name === 'level')?.schema).toMatchObject({ enum: ['village', 'workshop', 'kiln'] });
    expect((await svc.app.inject({ method: 'GET', url: '/api/rollup?level=town' })).statusCode).toBe(400);
    const kiln = doc.paths['/api/workshops/{workshop}/kilns/{kiln}/firings']!.get!.parameters!.find((p) => p.name === 'kiln')!;
    expect(kiln).toMatchObject({ in: 'path', required: true });
  });

  it('gives the schemas the routes answer with', () => {
    const report = doc.paths['/api/workshops/{workshop}/kilns/{kiln}/firings/{firing_id}']!.get!.responses['200']!.content!['application/json']!.schema;
    expect(report.required).toEqual(expect.arrayContaining(['kpis', 'fuel', 'baseline_comparison', 'quality', 'stored']));
    const post = doc.paths['/api/workshops/{workshop}/baselines']!.post!.responses;
    expect(Object.keys(post).sort()).toEqual(['201', '400', '401', '403', '503']);
  });

  it('serves the docs page from local files only', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).not.toMatch(/https?:\/\//);
    const scripts = [...res.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) expect((await svc.app.inject({ method: 'GET', url: src })).statusCode, src).toBe(200);
    // The page loads the document from this service and asks no online validator about it.
    const init = await svc.app.inject({ method: 'GET', url: '/api/docs/static/swagger-initializer.js' });
    expect(init.body).toMatch(/validatorUrl: null/);
    expect(init.body).toMatch(/url: resolveUrl\('\.\/json'\)/);
  });
});
