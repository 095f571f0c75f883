// One zod schema for every setting. Sources, later wins: defaults < CONFIG_FILE (JSON) < environment.
// Every key, its default and its unit is listed in .env.example.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { webhookUrlProblem, webhookUrls } from './alerts/webhook-targets.ts';

const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0'])]).transform((v) => v === true || v === 'true' || v === '1');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const port = int(1, 65535);
/** Whole days, 0 or "forever" meaning never dropped. */
const days = z.union([z.literal('forever').transform(() => 0), int(0, 36500)]);
const url = (protocols: string[]) => z.string().url().refine((u) => protocols.includes(new URL(u).protocol), `must start with ${protocols.join(' or ')}//`);

export const configSchema = z.strictObject({
  // MQTT. Without MQTT_URL the service runs its own broker (aedes) on MQTT_EMBEDDED_PORT.
  MQTT_URL: url(['mqtt:', 'mqtts:', 'tcp:', 'ws:', 'wss:']).optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_CLIENT_ID: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).default('kiln-monitor-ingest'),
  // Several instances on one external broker (docs/scaling.md): each stores its share of the device
  // messages through $share/<group>/kiln/v1/+/+/+, and each needs its own MQTT_CLIENT_ID. Unset: one instance.
  MQTT_SHARE_GROUP: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or -').optional(),
  MQTT_EMBEDDED_HOST: z.string().default('0.0.0.0'),
  MQTT_EMBEDDED_PORT: port.default(1883),
  // true: the embedded broker also takes clients without a device credential (a site moving its
  // loggers over; docs/access.md). Off by default: each logger has its own username and secret.
  MQTT_ALLOW_ANONYMOUS: bool.default(false),
  // InfluxDB (v1 HTTP API). Without INFLUX_URL the service starts and supervises a local influxd.
  INFLUX_URL: url(['http:', 'https:']).optional(),
  INFLUX_DATABASE: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).default('kiln'),
  INFLUX_USERNAME: z.string().optional(),
  INFLUX_PASSWORD: z.string().optional(),
  INFLUX_RETENTION: z.string().regex(/^(INF|\d+[hdw])$/, 'must be INF or a duration like 52w, 400d').default('INF'),
  INFLUX_LOCAL_PORT: port.default(8086),
  INFLUX_LOCAL_RPC_PORT: port.default(8088),
  INFLUX_LOCAL_BINARY: z.string().default('influxd'),
  // Local storage
  DATA_DIR: z.string().min(1).default('./data'),
  // Users, API tokens, workshops and device credentials (docs/access.md). Unset: DATA_DIR/access.json.
  // Instances on one box share it by naming one path.
  ACCESS_FILE: z.string().min(1).optional(),
  SPOOL_MAX_MB: int(1, 1_000_000).default(1024),
  SPOOL_SEGMENT_MB: int(1, 1024).default(64),
  SPOOL_FSYNC: bool.default(false),
  // Writing to InfluxDB
  BATCH_MAX_READINGS: int(1, 100_000).default(5000),
  WRITE_TIMEOUT_MS: int(100, 600_000).default(10_000),
  // What a message may carry
  INGEST_MAX_PAYLOAD_KB: int(1, 10_240).default(256),
  INGEST_MAX_FUTURE_S: int(0, 365 * 86400).default(300),
  INGEST_MAX_PAST_DAYS: int(1, 36500).default(30),
  // Demo: simulated kilns started with the service (0 = none)
  SIMULATE_KILNS: int(0, 50).default(0),
  SIMULATE_HISTORY_H: int(0, 72).default(8),
  SIMULATE_SPEED: int(1, 1000).default(600),
  // Live view (GET /api/live and its SSE stream). It folds at most 5,000 readings/s; a kiln whose
  // readings it had to skip in a burst is re-read from InfluxDB afterwards (docs/analytics.md).
  LIVE_VIEW: bool.default(true),
  LIVE_SILENT_S: int(1, 86_400).default(120),
  // Firing index: firings and closed firings' summaries kept in InfluxDB (src/firings/indexer.ts)
  FIRING_INDEX_INTERVAL_S: int(1, 3600).default(30),
  FIRING_INDEX_BACKFILL_DAYS: int(0, 3660).default(30),
  // A kiln is folded when the live view sees its firing start, its gas go off or the firing end,
  // and otherwise at most this often (lists and reports fold the rest of its readings on request).
  FIRING_INDEX_KILN_EVERY_S: int(1, 86_400).default(300),
  // Retention (docs/retention.md): raw readings older than READINGS_RAW_DAYS are dropped once their
  // one-minute aggregates are stored; the aggregates are kept READINGS_AGG_DAYS. 0 or forever: never
  // dropped (the default: nothing changes unless a site opts in). Checked every READINGS_DOWNSAMPLE_INTERVAL_S.
  READINGS_RAW_DAYS: days.default(0),
  READINGS_AGG_DAYS: days.default(0),
  READINGS_DOWNSAMPLE_INTERVAL_S: int(60, 86_400).default(3600),
  // Alerts (docs/alerts.md): webhooks get every raise, clear and acknowledgement as a JSON POST.
  // A URL naming this host (127.0.0.1, localhost), a link-local or the metadata address is refused
  // unless ALERT_WEBHOOK_ALLOW_LOCAL (src/alerts/webhook-targets.ts; checked below and when sending).
  ALERT_WEBHOOK_URLS: z.string().default('').refine((v) => webhookUrls(v).every((u) => /^https?:\/\/[^\s]+$/.test(u) && URL.canParse(u)), 'must be http(s) URLs separated by commas'),
  ALERT_WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(8),
  ALERT_WEBHOOK_ALLOW_LOCAL: bool.default(false),
  // HTTP
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_PORT: port.default(8080),
  // true: behind a reverse proxy, the client's address comes from X-Forwarded-For (login limits per IP).
  HTTP_TRUST_PROXY: bool.default(false),
  // Largest request body, KiB: a bigger one is answered 413 before it is read.
  HTTP_BODY_LIMIT_KB: int(1, 102_400).default(256),
  // Login attempts per minute, per client address and per username (right or wrong: a guesser gets
  // no answer at all until the minute is over). Writes (PUT/POST/PATCH/DELETE) per minute per caller.
  RATE_LIMIT_LOGIN_PER_MIN: int(1, 100_000).default(10),
  RATE_LIMIT_WRITES_PER_MIN: int(1, 1_000_000).default(120),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).superRefine((c, ctx) => {
  if (c.MQTT_SHARE_GROUP && !c.MQTT_URL) {
    ctx.addIssue({ code: 'custom', path: ['MQTT_SHARE_GROUP'], message: 'needs MQTT_URL: the embedded broker has no shared subscriptions, so several instances need an external broker such as Mosquitto 2.0 (docs/scaling.md)' });
  }
  if (c.READINGS_RAW_DAYS > 0) {
    // A reading may arrive up to INGEST_MAX_PAST_DAYS late: it must land where raw readings are still kept.
    if (c.READINGS_RAW_DAYS <= c.INGEST_MAX_PAST_DAYS) ctx.addIssue({ code: 'custom', path: ['READINGS_RAW_DAYS'], message: `must be more than INGEST_MAX_PAST_DAYS (${c.INGEST_MAX_PAST_DAYS}): a reading may arrive that late, and is then aggregated from the raw readings` });
    if (c.READINGS_AGG_DAYS > 0 && c.READINGS_AGG_DAYS < c.READINGS_RAW_DAYS) ctx.addIssue({ code: 'custom', path: ['READINGS_AGG_DAYS'], message: `must be 0 (for ever) or at least READINGS_RAW_DAYS (${c.READINGS_RAW_DAYS})` });
    const rp_days = retentionDays(c.INFLUX_RETENTION);
    if (rp_days !== null && rp_days <= c.READINGS_RAW_DAYS) ctx.addIssue({ code: 'custom', path: ['INFLUX_RETENTION'], message: `must be INF or longer than READINGS_RAW_DAYS (${c.READINGS_RAW_DAYS} days): InfluxDB would drop raw readings before they are aggregated` });
  }
  for (const u of webhookUrls(c.ALERT_WEBHOOK_URLS)) {
    const problem = webhookUrlProblem(u, c.ALERT_WEBHOOK_ALLOW_LOCAL);
    if (problem) ctx.addIssue({ code: 'custom', path: ['ALERT_WEBHOOK_URLS'], message: problem });
  }
});

/** INFLUX_RETENTION in days; null for INF. */
function retentionDays(r: string): number | null {
  const m = /^(\d+)([hdw])$/.exec(r);
  if (!m) return null;
  return Number(m[1]) * { h: 1 / 24, d: 1, w: 7 }[m[2] as 'h' | 'd' | 'w'];
}

export type Config = z.infer<typeof configSchema>;
export const CONFIG_KEYS = Object.keys(configSchema.shape) as (keyof Config)[];

export class ConfigError extends Error {
  constructor(readonly lines: string[]) {
    super(lines.join('\n'));
  }
}

/** Parse settings from the environment (and CONFIG_FILE). Throws ConfigError with one line per bad key. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  let fromFile: Record<string, unknown> = {};
  if (env.CONFIG_FILE) {
    try {
      fromFile = JSON.parse(readFileSync(env.CONFIG_FILE, 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new ConfigError([`CONFIG_FILE: cannot read ${env.CONFIG_FILE}: ${(err as Error).message}`]);
    }
  }
  const raw: Record<string, unknown> = { ...fromFile };
  for (const key of CONFIG_KEYS) {
    const v = env[key];
    if (v !== undefined && v !== '') raw[key] = v;
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => {
    const key = i.path.join('.') || '(config)';
    if (i.code === 'unrecognized_keys') return `CONFIG_FILE: unknown keys ${i.keys.join(', ')}`;
    const got = raw[String(i.path[0])];
    return `${key}: ${i.message}${got === undefined ? '' : ` (got "${String(got).slice(0, 60)}")`}`;
  }));
}
