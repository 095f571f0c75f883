// HTTP to the service: JSON in and out; errors carry the status and the service's message.
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string | null = null) { super(message); }
}

// Every change (PUT, POST, PATCH, DELETE) carries the header x-csrf-token, fetched once from
// GET /api/auth/csrf: the service refuses a change made with the session cookie without it, so
// another site cannot make the browser send one. A refused token (the service's secret cookie
// was cleared) is fetched again, once.
let csrfToken: Promise<string> | null = null;
const csrf = () => (csrfToken ??= api<{ token: string }>('/api/auth/csrf').then((r) => r.token, (err: unknown) => { csrfToken = null; throw err; }));
const isChange = (method: string | undefined) => method !== undefined && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());

export async function api<T>(path: string, init: RequestInit = {}, retried = false): Promise<T> {
  let res: Response;
  const change = isChange(init.method);
  const token = change ? await csrf() : null;
  try {
    res = await fetch(path, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-csrf-token': token } : {}), ...(init.headers ?? {}) } });
  } catch (err) {
    throw new ApiError(0, `network: ${(err as Error).message}`);
  }
  if (change && !retried && res.status === 403) {
    const peek = await res.clone().json().catch(() => null) as { error?: string } | null;
    if (peek?.error === 'csrf') { csrfToken = null; return api<T>(path, init, true); }
  }
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { body = text; }
  if (!res.ok) {
    const b = (typeof body === 'object' && body !== null ? body : {}) as { message?: string; error?: string };
    throw new ApiError(res.status, b.message ?? `HTTP ${res.status}`, b.error ?? null);
  }
  return body as T;
}

export const putJson = <T>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body: JSON.stringify(body) });
export const postJson = <T>(path: string, body: unknown) => api<T>(path, { method: 'POST', body: JSON.stringify(body) });
export const enc = encodeURIComponent;
export const firingPath = (ws: string, kiln: string, id?: string) => `/api/workshops/${enc(ws)}/kilns/${enc(kiln)}/firings${id ? `/${enc(id)}` : ''}`;
