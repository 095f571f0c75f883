// What every route's schema shares: ids, path parameters, the one error body, and helpers for
// response schemas. Responses are read-only data, so arrays are declared readonly: the services
// return readonly arrays and the dashboard reads these same types.
import { z } from 'zod';
import { ID_PATTERN } from '../../wire/topics.ts';

export const idSchema = z.string().regex(ID_PATTERN, 'must match [A-Za-z0-9_-]{1,40}');

/** A detected firing's id is its kiln's id + "-YYYYMMDDTHHMMZ", which may pass 40 characters. */
const DETECTED_ID = /^[A-Za-z0-9_-]{1,40}-\d{8}T\d{4}Z$/;
export const firingIdSchema = z.string().refine((s) => ID_PATTERN.test(s) || DETECTED_ID.test(s), 'must match [A-Za-z0-9_-]{1,40} (or a detected firing id, {kiln}-YYYYMMDDTHHMMZ)');

export const workshopParams = z.object({ workshop: idSchema });
export const kilnParams = workshopParams.extend({ kiln: idSchema });
export const firingParams = kilnParams.extend({ firing_id: firingIdSchema });
export type FiringParams = z.infer<typeof firingParams>;

/** Every 4xx and 5xx answer: a stable code and a message for people (naming the field on a 400). */
export const errorBody = z.object({ error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof errorBody>;

const ERROR_MEANING = {
  400: 'The request is invalid; the message names the field',
  401: 'Not logged in: log in (POST /api/auth/login) or send an API token',
  403: 'Logged in, but your role may not do this (or your one-time password must be changed first)',
  404: 'No such workshop, kiln, firing or record (or not one of your workshops)',
  409: 'Conflicts with what is stored (a taken name, the last admin)',
  429: 'Too many requests: wait and try again',
  503: 'InfluxDB cannot take or give records now; nothing was stored',
} as const;

/** The error answers a route gives, each with the shared error body. */
export function errors<C extends keyof typeof ERROR_MEANING>(...codes: C[]): Record<C, typeof errorBody> {
  return Object.fromEntries(codes.map((c) => [c, errorBody.describe(ERROR_MEANING[c])])) as Record<C, typeof errorBody>;
}

/** A readonly array in a response (the services hand out readonly arrays). */
export const list = <T extends z.ZodType>(item: T) => z.array(item).readonly();
/** A chart series: [t_ms, value] pairs, documented and typed but not checked pair by pair when
 *  sent. A 20,000-point curve has ~300,000 pairs: checking each took ~250 ms on the one thread
 *  that also takes readings (JSON.stringify alone, ~70 ms), and the curve service builds them
 *  from numbers only. */
export const series = z.custom<readonly (readonly [number, number])[]>((v) => Array.isArray(v), 'must be an array of [t_ms, value]').meta({
  type: 'array', items: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], minItems: 2, maxItems: 2 },
});

export const confidence = z.enum(['H', 'M', 'L']);
/** A number, or "not available" with the reason (src/domain/savings/figure.ts). */
export const figure = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.number() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);

/** A response that is not JSON (CSV, Prometheus text, an event stream): documented as text,
 *  written raw (a string or a stream), so its schema checks nothing. */
export const rawResponse = (contentType: string, description: string) => ({
  200: { description, content: { [contentType]: { schema: z.unknown().meta({ type: 'string' }) } } },
});

/** Compile-time check that a response schema names every field its service returns: the
 *  serializer drops what a schema does not name (the handler's return is checked the other way). */
export type Covers<Schema, Service> = [Schema] extends [Service] ? true : false;
export type Assert<T extends true> = T;

/** Beside every ok savings line and total (src/domain/savings/ranges.ts; docs/analytics.md "Ranges"). */
export const savingsRange = {
  avoided_pct: z.number().nullable().describe('avoided ÷ baseline × 100; null when the baseline is 0'),
  rel_error: z.number().describe('The baseline side\'s combined relative ± (a fraction), from its inputs\' grades'),
  avoided_low: z.number().describe('avoided − its ± (same unit)'),
  avoided_high: z.number().describe('avoided + its ± (same unit)'),
  avoided_pct_low: z.number().nullable(),
  avoided_pct_high: z.number().nullable(),
};

/** A figure accepted but unusual (src/domain/savings/record-checks.ts). */
export const recordWarning = z.object({ field: z.string(), message: z.string(), source: z.string().nullable().describe('Where the range it is checked against was published') });
