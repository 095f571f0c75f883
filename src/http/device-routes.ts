// Device credentials: MQTT usernames and secrets for kiln loggers and gateways (docs/mqtt.md,
// "Device credentials"). The secret is shown once, when made; the access file keeps its hashes.
//   GET    /api/workshops/:workshop/devices
//   POST   /api/workshops/:workshop/devices            { kiln: string|null } → secret, ready command line
//   DELETE /api/workshops/:workshop/devices/:username  revoke
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AccessService } from '../access/service.ts';
import type { Config } from '../config.ts';
import type { ZodApp } from './app-types.ts';
import { errors, idSchema, list, workshopParams } from './schemas/common.ts';
import { topicFor } from '../wire/topics.ts';

const device = z.object({
  username: z.string(),
  workshop: z.string(),
  kiln: z.string().nullable().describe('null: a gateway, which may publish for every kiln of the workshop'),
  created_at_ms: z.number(),
  revoked_at_ms: z.number().nullable(),
});
const created = z.object({
  username: z.string(),
  secret: z.string().describe('Shown once: only its hashes are kept'),
  workshop: z.string(),
  kiln: z.string().nullable(),
  mqtt_url: z.string().describe('Where the device connects'),
  mosquitto_pub: z.string().describe('A command line that publishes one sample reading with this credential'),
});
const createBody = z.object({ kiln: idSchema.nullable() });
const deviceParams = workshopParams.extend({ username: z.string().min(1).max(100) });

export const deviceRoutes = fp(async (app: ZodApp, opts: { access: AccessService; config: Config }) => {
  const { access, config } = opts;
  const tags = ['access'];

  app.get('/api/workshops/:workshop/devices', {
    config: { access: 'manage_devices' },
    schema: { tags, summary: 'The workshop\'s device credentials (kiln loggers and gateways), revoked ones included', params: workshopParams, response: { 200: z.object({ devices: list(device) }), ...errors(400, 401, 403, 404) } },
  }, async (req) => ({ devices: access.devices(req.params.workshop).map(({ username, workshop, kiln, created_at_ms, revoked_at_ms }) => ({ username, workshop, kiln, created_at_ms, revoked_at_ms })) }));

  app.post('/api/workshops/:workshop/devices', {
    config: { access: 'manage_devices' },
    schema: { tags, summary: 'A new device credential: for one kiln, or a gateway (kiln null) for every kiln of the workshop. The secret is shown once', params: workshopParams, body: createBody, response: { 201: created, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    const { device: d, secret } = access.createDevice(req.params.workshop, req.body.kiln);
    const broker = brokerAddress(config, req);
    const sample = sampleTelemetry(Date.now());
    const topic = topicFor(d.workshop, d.kiln ?? 'K01', 'telemetry');
    const tls = broker.scheme === 'mqtts' ? ' --capath /etc/ssl/certs' : '';
    return reply.code(201).send({
      username: d.username, secret, workshop: d.workshop, kiln: d.kiln,
      mqtt_url: `${broker.scheme}://${broker.host}:${broker.port}`,
      mosquitto_pub: `mosquitto_pub -h ${broker.host} -p ${broker.port}${tls} -V mqttv311 -q 1 -u ${shellQuote(d.username)} -P ${shellQuote(secret)} -t ${shellQuote(topic)} -m ${shellQuote(JSON.stringify(sample))}`,
    });
  });

  app.delete('/api/workshops/:workshop/devices/:username', {
    config: { access: 'manage_devices' },
    schema: { tags, summary: 'Revoke a device credential: it cannot connect again, and an open connection loses its rights within a second', params: deviceParams, response: { 200: z.object({ ok: z.literal(true) }), ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    if (!access.devices(req.params.workshop).some((d) => d.username === req.params.username)) {
      return reply.code(404).send({ error: 'not_found', message: `no device ${req.params.username} in workshop ${req.params.workshop}` });
    }
    access.revokeDevice(req.params.username);
    return { ok: true as const };
  });
});

/** Where devices reach the broker: the embedded one on its port (0.0.0.0: the host name this
 *  request came in on, which the person's browser could reach), else MQTT_URL's host. */
export function brokerAddress(config: Config, req: Pick<FastifyRequest, 'hostname'>): { scheme: 'mqtt' | 'mqtts'; host: string; port: number } {
  if (config.MQTT_URL) {
    const u = new URL(config.MQTT_URL);
    const scheme = u.protocol === 'mqtts:' || u.protocol === 'wss:' ? 'mqtts' : 'mqtt';
    return { scheme, host: u.hostname, port: u.port ? Number(u.port) : scheme === 'mqtts' ? 8883 : 1883 };
  }
  const bound = config.MQTT_EMBEDDED_HOST;
  const host = bound === '0.0.0.0' || bound === '::' ? requestHost(req.hostname) : bound;
  return { scheme: 'mqtt', host, port: config.MQTT_EMBEDDED_PORT };
}

/** The Host header without its port ("[::1]:8080" → "::1", "kiln.local:8080" → "kiln.local"). */
function requestHost(hostname: string): string {
  const m = /^\[([^\]]+)\]/.exec(hostname);
  if (m) return m[1]!;
  return hostname.replace(/:\d+$/, '') || '127.0.0.1';
}

/** One reading as docs/mqtt.md describes it (two thermocouples, a burner's gas flow), stamped
 *  when the credential is made: well within INGEST_MAX_PAST_DAYS when someone tries it. */
export function sampleTelemetry(ts_ms: number): object {
  return { v: 1, ts_ms, seq: 1, temp_c: { top: 812.4, bottom: 798.1 }, gas: { burner: { kind: 'flow', flow_kg_h: 3.2 } } };
}

/** Single quotes for a POSIX shell. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
