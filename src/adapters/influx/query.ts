// One InfluxQL request over the v1 HTTP API (GET /query, epoch=ms), its JSON parsed here: the
// `influx` package builds a Date per row, which dominates for a 24 h firing at 1 Hz.
export interface Series { name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }

export interface InfluxTarget {
  readonly url: string;
  readonly database: string;
  readonly auth?: { readonly username: string; readonly password: string } | undefined;
}

/** Run `q` (one or more statements, `;`-separated) and return every series of every result. */
export async function queryV1(t: InfluxTarget, q: string): Promise<Series[]> {
  const u = new URL('/query', t.url);
  u.searchParams.set('db', t.database);
  u.searchParams.set('epoch', 'ms');
  u.searchParams.set('q', q);
  if (t.auth) { u.searchParams.set('u', t.auth.username); u.searchParams.set('p', t.auth.password); }
  const res = await fetch(u);
  const body = await res.json() as { error?: string; results?: { error?: string; series?: Series[] }[] };
  if (!res.ok || body.error) throw new Error(`InfluxDB query failed (${res.status}): ${body.error ?? ''}`);
  const out: Series[] = [];
  for (const r of body.results ?? []) {
    if (r.error) throw new Error(`InfluxDB query failed: ${r.error}`);
    out.push(...(r.series ?? []));
  }
  return out;
}
