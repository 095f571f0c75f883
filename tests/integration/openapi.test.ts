// The OpenAPI document the service serves: every route the app registers is in it, everything
// in it is a route, and its parameter and body schemas are the ones the routes validate with.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { registeredRoutes } from '../../src/app.ts';

interface Op { parameters?: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[]; requestBody?: { content: Record<string, { schema: { required?: string[]; properties?: Record<string, unknown> } }> } }
type Doc = { openapi: string; paths: Record<string, Record<string, Op>> };

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

  const documented = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)).sort();

  it('documents exactly the routes the app serves (the dashboard files at / aside)', () => {
    expect(doc.openapi).toBe('3.1.0');
    const served = registeredRoutes.get(svc.app)!
      .filter((r) => r.method !== 'HEAD' && r.url !== '/*')
      .map((r) => `${r.method} ${r.url.replace(/:([a-z_]+)/g, '{$1}')}`);
    expect([...new Set(served)].sort()).toEqual(documented());
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

  it('serves a readable page listing every route, from local files only', async () => {
    const res = await svc.app.inject({ method: 'GET', url: '/api/docs' });
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    for (const line of documented()) expect(res.body).toContain(line.split(' ')[1]!);
    expect(res.body).not.toMatch(/https?:\/\//);
  });
});
