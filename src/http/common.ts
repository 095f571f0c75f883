// What every route file shares: id schemas, the 400 shape, and 503 when InfluxDB cannot take or
// give records. One place, so every route answers a bad request and an outage the same way.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { InfluxUnavailable } from '../adapters/influx/query.ts';
import { ID_PATTERN } from '../wire/topics.ts';

export const idSchema = z.string().regex(ID_PATTERN, 'must match [A-Za-z0-9_-]{1,40}');
export const workshopParams = z.object({ workshop: idSchema });

type Issues = readonly { path: readonly PropertyKey[]; message: string }[];

/** 400 naming each bad field: `path: message; …`. */
export function badRequest(reply: FastifyReply, issues: Issues) {
  return reply.code(400).send({ error: 'bad_request', message: issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') });
}

/** Body issues name their field; an empty path means the body itself. */
export const bodyIssues = (issues: Issues) => issues.map((i) => ({ path: i.path.length === 0 ? ['body'] : i.path, message: i.message }));

/** Run f; InfluxDB unable to take or give records answers 503 (nothing was stored). */
export async function orUnavailable<T>(reply: FastifyReply, f: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await f();
  } catch (err) {
    if (err instanceof InfluxUnavailable) return reply.code(503).send({ error: 'unavailable', message: err.message });
    throw err;
  }
}
