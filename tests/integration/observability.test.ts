// What the service tells its operator. The log: one pino logger (src/log.ts) for the components
// and for Fastify; a 5xx is logged with its stack; LOG_LEVEL is honoured (request lines and debug
// detail only at debug). The metrics: GET /metrics from a per-app prom-client registry.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DestinationStream } from 'pino';
import { uniqueDb } from '../support/influx.ts';
import { startInProcess, type InProcess } from '../support/service.ts';
import { buildApp } from '../../src/app.ts';
import { renderMetrics } from '../../src/http/metrics-text.ts';
import { componentLog, createLogger, type LogLevel } from '../../src/log.ts';

interface Line { level: string; time: string; msg: string; component?: string; reqId?: string; err?: { message: string; stack: string } }

/** A logger at `level` writing into an array of parsed lines. */
function captured(level: LogLevel) {
  const lines: Line[] = [];
  const dest: DestinationStream = { write: (s: string) => { lines.push(JSON.parse(s) as Line); } };
  return { log: createLogger(level, dest), lines };
}

describe('service log', () => {
  let svc: InProcess;
  beforeAll(async () => {
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('logging') }, inject('influxUrl'));
  });
  afterAll(() => svc?.stop());

  it('logs a route that throws at error with its stack; the client gets the generic 500', async () => {
    const { log, lines } = captured('info');
    const app = await buildApp(svc.runtime, { logger: log.child({ component: 'http' }) });
    app.get('/test/boom', { config: { access: 'public' } }, async () => { throw new Error('kaboom in a handler'); });
    try {
      const res = await app.inject({ method: 'GET', url: '/test/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error: 'internal_error', message: 'internal error; see the service log' });
      const line = lines.find((l) => l.level === 'error');
      expect(line).toMatchObject({ component: 'http', msg: 'GET /test/boom failed: kaboom in a handler', err: { message: 'kaboom in a handler' } });
      expect(line!.reqId).toBeTruthy();
      expect(line!.err!.stack).toMatch(/\n\s+at .*observability\.test\.ts/); // the frame that threw
      expect(Date.parse(line!.time)).toBeGreaterThan(0); // ISO time
      // A 4xx is the client's mistake: not an error in the service log.
      await app.inject({ method: 'GET', url: '/api/ingest/rejects?limit=abc' });
      expect(lines.filter((l) => l.level === 'error')).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('honours the level: request lines and debug detail appear at debug, not at info', async () => {
    for (const level of ['info', 'debug'] as const) {
      const { log, lines } = captured(level);
      const app = await buildApp(svc.runtime, { logger: log });
      try {
        expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
        const ingest = componentLog(log, 'ingest');
        ingest.debug?.('a debug detail');
        ingest.info('an info line');
        const debug = lines.filter((l) => l.level === 'debug');
        if (level === 'info') {
          expect(debug).toEqual([]);
        } else {
          expect(debug).toContainEqual(expect.objectContaining({ msg: 'GET /api/health 200', reqId: expect.any(String) }));
          expect(debug).toContainEqual(expect.objectContaining({ msg: 'a debug detail', component: 'ingest' }));
        }
        expect(lines).toContainEqual(expect.objectContaining({ level: 'info', msg: 'an info line', component: 'ingest' }));
      } finally {
        await app.close();
      }
    }
  });

  it('GET /metrics adds the process metrics (CPU, memory, GC, event-loop lag) and the HTTP request histogram, per app', async () => {
    await svc.app.inject({ method: 'GET', url: '/api/health' });
    await svc.app.inject({ method: 'GET', url: '/api/workshops/w1/kilns/k1/firings/nope' });
    const res = await svc.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    // Route patterns, not URLs: one series per route whatever the parameters.
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/api\/health",status_code="200"\} [1-9]/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0\.5",method="GET",route="\/api\/health",status_code="200"\} [1-9]/m);
    expect(text).toMatch(/route="\/api\/workshops\/:workshop\/kilns\/:kiln\/firings\/:firing_id",status_code="404"/);
    expect(text).toMatch(/^kiln_readings_stored_total \d+$/m); // the ingest figures beside them
    // Another app on the same runtime has a registry of its own: none of these requests in it.
    const other = await buildApp(svc.runtime);
    try {
      const mine = await renderMetrics(other);
      expect(mine).toContain('# TYPE http_request_duration_seconds histogram');
      expect(mine).not.toContain('route="/api/health"');
      expect(mine).toMatch(/^kiln_readings_stored_total \d+$/m);
    } finally {
      await other.close();
    }
  });
});
