// How every route answers what went wrong, in one place: the app's error handler. A request
// that fails its route's schema, a refusal of the access rules (400/404/409), a check a schema
// cannot make (a range, a URL and body that must agree) thrown as BadRequest, and InfluxDB unable to take or give records (503) all become the
// shared error body { error, message }; anything else is a 5xx whose details stay in the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { InfluxUnavailable } from '../adapters/influx/query.ts';
import { AccessError } from '../access/service.ts';

const ACCESS_STATUS = { bad_request: 400, not_found: 404, conflict: 409 } as const;

export interface Issue { readonly path: readonly PropertyKey[]; readonly message: string }

/** `path: message; …`, each issue naming its field. */
export const issuesMessage = (issues: readonly Issue[]) => issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ');

/** A request the schemas accept but the route cannot: answered 400 naming the field. */
export class BadRequest extends Error {
  readonly statusCode = 400;
  constructor(readonly issues: readonly Issue[]) { super(issuesMessage(issues)); }
}

/** A 404 thrown from deep in a handler: the shared not_found body. */
export class NotFound extends Error {
  readonly statusCode = 404;
}

/** Throw a 400 naming one field. */
export function badRequest(path: string, message: string): never {
  throw new BadRequest([{ path: [path], message }]);
}

/** A 400 naming the field unless from_ms < to_ms, `max_days` days apart at most; `order`: the message when they are not in order. */
export function checkRange(from_ms: number, to_ms: number, max_days: number, order = 'must be before to'): void {
  if (!(from_ms < to_ms)) badRequest('from', order);
  if (to_ms - from_ms > max_days * 86_400_000) badRequest('to', `the range may span at most ${max_days} days`);
}

/** The 400 message of a schema failure: body issues name their field, an empty path the body itself. */
function validationMessage(err: { validation: readonly { instancePath: string; message?: string | undefined }[]; validationContext?: string | undefined }): string {
  return issuesMessage(err.validation.map((v) => {
    const path = v.instancePath.split('/').filter((s) => s !== '');
    return { path: path.length === 0 && err.validationContext === 'body' ? ['body'] : path, message: v.message ?? 'invalid' };
  }));
}

export function errorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (hasZodFastifySchemaValidationErrors(err)) return reply.code(400).send({ error: 'bad_request', message: validationMessage(err) });
  if (err instanceof BadRequest) return reply.code(400).send({ error: 'bad_request', message: err.message });
  if (err instanceof NotFound) return reply.code(404).send({ error: 'not_found', message: err.message });
  // The access rules' refusals (a taken username, the last admin, a weak password).
  if (err instanceof AccessError) return reply.code(ACCESS_STATUS[err.code]).send({ error: err.code, message: err.message });
  if (err instanceof InfluxUnavailable) return reply.code(503).send({ error: 'unavailable', message: err.message });
  const fstCode = (err as { code?: unknown }).code;
  if (fstCode === 'FST_CSRF_MISSING_SECRET' || fstCode === 'FST_CSRF_INVALID_TOKEN') {
    return reply.code(403).send({ error: 'csrf', message: 'missing or wrong x-csrf-token header: a change made with the session cookie needs the token from GET /api/auth/csrf' });
  }
  if (fstCode === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).send({ error: 'payload_too_large', message: `the request body is over the limit of ${Math.round(req.routeOptions.bodyLimit / 1024)} KiB (HTTP_BODY_LIMIT_KB)` });
  }
  const status = 'statusCode' in err && typeof err.statusCode === 'number' ? err.statusCode : 500;
  // A response that does not match its route's schema is the service's fault: a 500 like any other.
  const code = status >= 400 && !isResponseSerializationError(err) ? status : 500;
  if (code < 500) return reply.code(code).send({ error: 'bad_request', message: err.message });
  // 5xx: logged here with its stack, whatever the log level; the client only learns where to look.
  req.log.error({ err }, `${req.method} ${req.url} failed: ${err.message}`);
  return reply.code(code).send({ error: 'internal_error', message: 'internal error; see the service log' });
}
