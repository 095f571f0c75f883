// HTTP to the service: JSON in and out; errors carry the status and the service's message.
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string | null = null) { super(message); }
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(init.headers ?? {}) } });
  } catch (err) {
    throw new ApiError(0, `network: ${(err as Error).message}`);
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
