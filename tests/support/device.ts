// A test device: a real MQTT.js client that publishes telemetry at QoS 1 and records which
// publishes the broker acknowledged (the PUBACK), to compare with what InfluxDB holds.
import mqtt, { type MqttClient } from 'mqtt';

export interface Device {
  readonly client: MqttClient;
  readonly acked: Set<number>;
  /** Publish reading number `seq` for a kiln; resolves on PUBACK (never rejects: errors are counted). */
  publish(topic: string, payload: string, seq: number): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDevice(url: string, clientId: string, opts: { clean?: boolean } = {}): Promise<Device> {
  const client = mqtt.connect(url, { clientId, clean: opts.clean ?? false, reconnectPeriod: 200, connectTimeout: 5000, protocolVersion: 4 });
  client.on('error', () => undefined); // reconnects are part of the tests
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    setTimeout(() => reject(new Error(`device could not connect to ${url}`)), 10_000);
  });
  const acked = new Set<number>();
  return {
    client, acked,
    publish: (topic, payload, seq) => new Promise((resolve) => {
      client.publish(topic, payload, { qos: 1 }, (err) => {
        if (!err) acked.add(seq);
        resolve(!err);
      });
    }),
    close: async () => { await client.endAsync(true); },
  };
}

/** A telemetry message of `zones` thermocouples and one gas flow channel: zones + 1 readings. */
export function telemetry(ts_ms: number, seq: number, zones = 3): string {
  const temp_c: Record<string, number> = {};
  for (let z = 0; z < zones; z++) temp_c[`z${z}`] = 20 + ((seq * 7 + z * 13) % 1200) + 0.25;
  return JSON.stringify({ v: 1, ts_ms, seq, temp_c, gas: { burner: { kind: 'flow', flow_kg_h: (seq % 50) / 10 + 0.5 } } });
}
