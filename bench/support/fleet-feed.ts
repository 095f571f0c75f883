// A fleet of idle kilns over MQTT for the overview's measurements (the fleet browser test and
// npm run bench:overview): one reading per kiln at QoS 1 as fast as the broker acknowledges
// (WINDOW publishes in flight), then a steady trickle of readings round the fleet. Kiln i is
// lo-0001… in workshop xuong-01… (consecutive blocks of kilns / workshops). Temperatures stay
// near room temperature without gas, so no firing and no alert starts by itself.
import mqtt, { type MqttClient } from 'mqtt';

const WINDOW = 200;

export interface FleetKilnId { readonly workshop: string; readonly kiln: string }

export const fleetKilns = (kilns: number, workshops: number): FleetKilnId[] => {
  const per = Math.ceil(kilns / workshops);
  return Array.from({ length: kilns }, (_, i) => ({ workshop: `xuong-${String(Math.floor(i / per) + 1).padStart(2, '0')}`, kiln: `lo-${String(i + 1).padStart(4, '0')}` }));
};

/** The idle temperature of kiln i, °C (a tenth more on every other update). */
export const idleTemp_c = (i: number, odd = false): number => 25 + (i % 10) + (odd ? 0.1 : 0);

export interface FleetFeed {
  readonly client: MqttClient;
  readonly kilns: readonly FleetKilnId[];
  /** Publish one message (QoS 1) as it is; resolves on its PUBACK, false on an error. */
  publish(topic: string, body: object): Promise<boolean>;
  /** The next message number of this device (telemetry and events carry one). */
  nextSeq(): number;
  /** A reading of kiln `k` with these zone temperatures. */
  reading(k: FleetKilnId, temp_c: Record<string, number>, ts_ms?: number): Promise<boolean>;
  /** Readings round the fleet at rate_msgs_s (kilns whose index is in `skip` left out) until
   *  stopped; stop() resolves with how many were acknowledged. */
  trickle(rate_msgs_s: number, skip?: ReadonlySet<number>): { stop(): Promise<number> };
  close(): Promise<void>;
}

export async function feedFleet(mqttUrl: string, opts: { kilns: number; workshops: number; clientId: string }): Promise<FleetFeed> {
  const client = mqtt.connect(mqttUrl, { clientId: opts.clientId, clean: true, protocolVersion: 4, reconnectPeriod: 500, connectTimeout: 5000 });
  client.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    setTimeout(() => reject(new Error(`fleet feed could not connect to ${mqttUrl}`)), 10_000);
  });
  const kilns = fleetKilns(opts.kilns, opts.workshops);
  let seq = 0;
  const publish = (topic: string, body: object) => new Promise<boolean>((resolve) => {
    client.publish(topic, JSON.stringify(body), { qos: 1 }, (err) => resolve(!err));
  });
  const reading = (k: FleetKilnId, temp_c: Record<string, number>, ts_ms = Date.now()) =>
    publish(`kiln/v1/${k.workshop}/${k.kiln}/telemetry`, { v: 1, ts_ms, seq: ++seq, temp_c, gas: { burner: { kind: 'flow', flow_kg_h: 0 } } });
  const idle = (i: number, odd: boolean) => { const t = idleTemp_c(i, odd); return reading(kilns[i]!, { top: t, bottom: t - 1 }); };
  // Everyone once, WINDOW in flight.
  let next = 0;
  const failed: number[] = [];
  await Promise.all(Array.from({ length: Math.min(WINDOW, kilns.length) }, async () => {
    while (next < kilns.length) { const i = next++; if (!(await idle(i, false))) failed.push(i); }
  }));
  if (failed.length > 0) throw new Error(`fleet feed: ${failed.length} first readings not acknowledged`);
  let round = 0;
  return {
    client, kilns, publish, reading, nextSeq: () => ++seq,
    trickle(rate_msgs_s, skip = new Set()) {
      let acked = 0;
      const pending = new Set<Promise<unknown>>();
      const per_tick = rate_msgs_s / 20;
      let owed = 0;
      const timer = setInterval(() => {
        for (owed += per_tick; owed >= 1; owed--) {
          const i = round++ % kilns.length;
          if (skip.has(i)) continue;
          const p = idle(i, Math.floor(round / kilns.length) % 2 === 1).then((ok) => { if (ok) acked++; pending.delete(p); });
          pending.add(p);
        }
      }, 50);
      return { async stop() { clearInterval(timer); await Promise.all(pending); return acked; } };
    },
    close: async () => { await client.endAsync(true); },
  };
}
