// How the service hands out the dashboard: content-hashed bundle files cached for a year, index.html
// revalidated (ETag, 304), gzip/br when asked; and compression never touches the SSE streams or
// spoils a CSV download.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueDb } from '../support/influx.ts';
import { startInProcess, withDefaultToken, type InProcess } from '../support/service.ts';
import { buildApp } from '../../src/app.ts';
// @ts-expect-error: a plain .mjs build script, no types
import { buildDashboard } from '../../scripts/build-dashboard.mjs';

describe('serving the dashboard', () => {
  let svc: InProcess;
  let app: FastifyInstance;
  let dir = '';
  let appJs = '';
  let stylesCss = '';
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiln-dash-')); // its own build: the browser test rebuilds dist/dashboard
    await (buildDashboard as (outdir: string) => Promise<string>)(dir);
    svc = await startInProcess({ INFLUX_DATABASE: uniqueDb('dashserve') }, inject('influxUrl'));
    app = await buildApp(svc.runtime, { dashboard_dir: dir });
    withDefaultToken(app, svc.adminToken);
  });
  afterAll(async () => {
    await app?.close();
    await svc?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('index.html is revalidated (no-cache, ETag, 304) and names the hashed bundle', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers.etag).toBeTruthy();
    appJs = /src="\/(app-[A-Z0-9]{8}\.js)"/.exec(res.body)?.[1] ?? '';
    stylesCss = /href="\/(styles-[A-Z0-9]{8}\.css)"/.exec(res.body)?.[1] ?? '';
    expect(appJs).not.toBe('');
    expect(stylesCss).not.toBe('');
    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    // A path the app routes gets the same page, the same way.
    const deep = await app.inject({ method: 'GET', url: '/firings' });
    expect(deep.headers).toMatchObject({ 'content-type': expect.stringMatching(/^text\/html/), 'cache-control': 'no-cache' });
    // The unhashed names are gone: a stale page cannot fetch a bundle that no longer matches it.
    expect((await app.inject({ method: 'GET', url: '/app.js' })).statusCode).toBe(404);
  });

  it('the bundle is immutable for a year, answered 304 on a reload, and compressed when asked', async () => {
    const plain = await app.inject({ method: 'GET', url: `/${appJs}` });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.rawPayload.length).toBeGreaterThan(100_000);
    const etag = String(plain.headers.etag);
    expect(etag).not.toBe('undefined');
    const reload = await app.inject({ method: 'GET', url: `/${appJs}`, headers: { 'if-none-match': etag, 'accept-encoding': 'gzip' } });
    expect(reload.statusCode).toBe(304);
    expect(reload.rawPayload.length).toBe(0);

    const gz = await app.inject({ method: 'GET', url: `/${appJs}`, headers: { 'accept-encoding': 'gzip' } });
    expect(gz.statusCode).toBe(200);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/accept-encoding/i);
    expect(gz.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
    expect(gunzipSync(gz.rawPayload).equals(plain.rawPayload)).toBe(true);
    const br = await app.inject({ method: 'GET', url: `/${stylesCss}`, headers: { 'accept-encoding': 'br, gzip' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotliDecompressSync(br.rawPayload).toString()).toMatch(/^[^]*\{[^]*\}/);
  });

  it('a CSV download asked for with gzip arrives whole, still an attachment', async () => {
    const plain = await app.inject({ method: 'GET', url: '/api/rollup.csv?level=kiln&period=all' });
    expect(plain.statusCode).toBe(200);
    const gz = await app.inject({ method: 'GET', url: '/api/rollup.csv?level=kiln&period=all', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-type']).toMatch(/^text\/csv/);
    expect(gz.headers['content-disposition']).toMatch(/^attachment; filename="rollup_/);
    const body = gz.headers['content-encoding'] === 'gzip' ? gunzipSync(gz.rawPayload).toString() : gz.body; // small ones go as they are
    expect(body).toBe(plain.body);
  });

  it('the SSE streams still stream, uncompressed, to a client that accepts gzip and br', async () => {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const addr = app.server.address();
    const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    for (const path of ['/api/live/stream', '/api/alerts/stream']) {
      const ctl = new AbortController();
      const res = await fetch(`${base}${path}`, { headers: { 'accept-encoding': 'gzip, deflate, br', authorization: `Bearer ${svc.adminToken}` }, signal: ctl.signal });
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('content-encoding')).toBeNull();
      const reader = res.body!.getReader();
      let text = '';
      const until = Date.now() + 5000;
      while (!text.includes('event: snapshot') && Date.now() < until) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text).toContain('retry: 2000');
      expect(text).toContain('event: snapshot'); // arrived while the stream stays open
      ctl.abort();
    }
  });
  it('a rebuild while pages load: index.html is always whole and names files that are there', async () => {
    // The browser tests build the dashboard in each file, two files at a time: a page loaded
    // during another file's build must still get a working app.
    writeFileSync(join(dir, 'app-OLDBUILD.js'), '// an earlier build');
    const build = (buildDashboard as (outdir: string) => Promise<string>)(dir);
    let done = false;
    void build.finally(() => { done = true; });
    let looks = 0;
    const broken: string[] = [];
    while (!done) {
      const html = readFileSync(join(dir, 'index.html'), 'utf8');
      const named = [...html.matchAll(/"\/((?:app|styles)-[A-Z0-9]{8}\.(?:js|css))"/g)].map((m) => m[1]!);
      if (named.length !== 2) broken.push(`index.html names ${named.length} bundle files (${html.length} chars)`);
      for (const f of named) if (!existsSync(join(dir, f))) broken.push(`${f} missing`);
      looks++;
      await setImmediate();
    }
    await build;
    expect(broken.slice(0, 5)).toEqual([]);
    expect(looks).toBeGreaterThan(20); // looked all through the build, not once
    // The earlier build's file is gone afterwards, and nothing of the build is left beside the folder.
    expect(existsSync(join(dir, 'app-OLDBUILD.js'))).toBe(false);
    expect(readdirSync(dirname(dir)).filter((f) => f.startsWith(`.${dir.split('/').pop()}-build-`))).toEqual([]);
  });
});
