// The one error handler every route answers through (src/http/common.ts): a request failing its
// schema or a route's own check is a 400 naming the field, InfluxDB out is a 503, and anything
// else, a response that breaks its own schema included, is a 500 that says nothing more.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { badRequest, errorHandler } from '../../src/http/common.ts';
import { InfluxUnavailable } from '../../src/adapters/influx/query.ts';
import { AccessError } from '../../src/access/service.ts';

async function app() {
  const a = Fastify().withTypeProvider<ZodTypeProvider>();
  a.setValidatorCompiler(validatorCompiler);
  a.setSerializerCompiler(serializerCompiler);
  a.setErrorHandler(errorHandler);
  a.post('/body', { schema: { querystring: z.object({ n: z.coerce.number().int().max(5).default(1) }), body: z.object({ items: z.array(z.object({ kg: z.number().positive() })) }) } }, () => ({ ok: true }));
  a.get('/range', () => badRequest('from', 'must be before to'));
  a.get('/down', () => { throw new InfluxUnavailable('InfluxDB cannot take records'); });
  a.get('/broken', { schema: { response: { 200: z.object({ n: z.number() }) } } }, () => ({ n: 'text' }) as unknown as { n: number });
  a.get('/crash', () => { throw new Error('secret detail'); });
  for (const code of ['bad_request', 'not_found', 'conflict'] as const) a.get(`/access/${code}`, () => { throw new AccessError(code, `refused: ${code}`); });
  await a.ready();
  return a;
}

describe('error handler', () => {
  it('answers a schema failure 400, naming each field by its path', async () => {
    const a = await app();
    const q = await a.inject({ method: 'POST', url: '/body?n=9', payload: { items: [] } });
    expect(q.statusCode).toBe(400);
    expect(q.json()).toEqual({ error: 'bad_request', message: 'n: Too big: expected number to be <=5' });
    const b = await a.inject({ method: 'POST', url: '/body', payload: { items: [{ kg: 1 }, { kg: -1 }] } });
    expect(b.json()).toEqual({ error: 'bad_request', message: 'items.1.kg: Too small: expected number to be >0' });
    const none = await a.inject({ method: 'POST', url: '/body' });
    expect(none.json<{ message: string }>().message).toMatch(/^body: /);
  });

  it('answers the access rules\' refusals 400, 404 and 409 with their code and message', async () => {
    const a = await app();
    for (const [code, status] of [['bad_request', 400], ['not_found', 404], ['conflict', 409]] as const) {
      const res = await a.inject(`/access/${code}`);
      expect(res.statusCode).toBe(status);
      expect(res.json()).toEqual({ error: code, message: `refused: ${code}` });
    }
  });

  it('answers a route\'s own check 400 and InfluxDB out 503, both with the shared body', async () => {
    const a = await app();
    expect((await a.inject('/range')).json()).toEqual({ error: 'bad_request', message: 'from: must be before to' });
    const down = await a.inject('/down');
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({ error: 'unavailable', message: 'InfluxDB cannot take records' });
  });

  it('hides every 5xx, a response that breaks its own schema included', async () => {
    const a = await app();
    for (const url of ['/broken', '/crash']) {
      const r = await a.inject(url);
      expect(r.statusCode, url).toBe(500);
      expect(r.json(), url).toEqual({ error: 'internal_error', message: 'internal error; see the service log' });
    }
  });
});
