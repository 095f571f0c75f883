// HTTP to the service: JSON in and out; errors carry the status and the service's message.
// The one fetch wrapper every view uses, so the session rules live here once:
// - a write (any method but GET/HEAD) carries `x-csrf-token`, fetched once per page from
//   GET /api/auth/csrf (a service without that route gets writes without it), and is sent again
//   once with a fresh token when the service answers 403 { error: 'csrf' } (a token gone stale);
// - a 401 (not logged in, session expired) or a 403 password_change_required goes to the
//   handler main.ts sets: the login page, then back to where the user was.
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly code: string | null = null) { super(message); }
}

type AuthHandler = (status: number, code: string | null) => void;
let onAuth: AuthHandler = () => undefined;
/** Called on a 401 or a 403 password_change_required from any call but the login itself. */
export const setAuthHandler = (h: AuthHandler): void => { onAuth = h; };

// Every change (PUT, POST, PATCH, DELETE) carries the header x-csrf-token, fetched once from
// GET /api/auth/csrf: the service refuses a change made with the session cookie without it, so
// another site cannot make the browser send one. A refused token is fetched again, once.
let csrf: Promise<string | null> | null = null;
function csrfToken(): Promise<string | null> {
  csrf ??= fetch('/api/auth/csrf', { headers: { accept: 'application/json' } })
    .then(async (r) => (r.ok ? ((await r.json()) as { token?: string }).token ?? null : null))
    .catch(() => null);
  return csrf;
}

const NO_REDIRECT = new Set(['/api/auth/login']); // its 401 means a wrong password, shown on the form

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const write = !['GET', 'HEAD'].includes((init.method ?? 'GET').toUpperCase());
  const send = async (): Promise<Response> => {
    const token = write ? await csrfToken() : null;
    return fetch(path, { ...init, headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...(token ? { 'x-csrf-token': token } : {}), ...(init.headers ?? {}) } });
  };
  let res: Response;
  let body: unknown;
  try {
    res = await send();
    body = await bodyOf(res);
    if (write && res.status === 403 && codeOf(body) === 'csrf') {
      csrf = null;
      res = await send();
      body = await bodyOf(res);
    }
  } catch (err) {
    throw new ApiError(0, `network: ${(err as Error).message}`);
  }
  if (!res.ok) {
    const b = (typeof body === 'object' && body !== null ? body : {}) as { message?: string; error?: string };
    const code = b.error ?? null;
    if (!NO_REDIRECT.has(path) && (res.status === 401 || (res.status === 403 && code === 'password_change_required'))) onAuth(res.status, code);
    throw new ApiError(res.status, b.message ?? `HTTP ${res.status}`, code);
  }
  return body as T;
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  try { return text ? JSON.parse(text) : null; } catch { return text; }
}
const codeOf = (body: unknown) => (typeof body === 'object' && body !== null ? (body as { error?: string }).error ?? null : null);

export const putJson = <T>(path: string, body: unknown) => api<T>(path, { method: 'PUT', body: JSON.stringify(body) });
export const postJson = <T>(path: string, body: unknown) => api<T>(path, { method: 'POST', body: JSON.stringify(body) });
export const patchJson = <T>(path: string, body: unknown) => api<T>(path, { method: 'PATCH', body: JSON.stringify(body) });
export const del = <T>(path: string) => api<T>(path, { method: 'DELETE' });
export const enc = encodeURIComponent;
export const firingPath = (ws: string, kiln: string, id?: string) => `/api/workshops/${enc(ws)}/kilns/${enc(kiln)}/firings${id ? `/${enc(id)}` : ''}`;
