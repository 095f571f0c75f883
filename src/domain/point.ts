// A stored reading: one channel's value at one device instant. Identity in InfluxDB is
// measurement + tags + ts_ms, so a redelivered reading overwrites itself instead of duplicating.
export interface Point {
  readonly measurement: Measurement;
  readonly tags: Readonly<{ workshop: string; kiln: string; channel: string; type?: string }>;
  readonly fields: Readonly<Record<string, number | string>>;
  readonly ts_ms: number;
}

/** Measurements, with their fields and units (docs/influx.md). */
export const MEASUREMENTS = {
  temperature: 'temp_c (°C) per thermocouple channel',
  gas_flow: 'flow_kg_h (kg/h) or flow_m3_h (m³/h at ref_temp_c, ref_pressure_kpa)',
  gas_total: 'total_kg (kg) or total_m3 (m³ at reference conditions), rollover_at',
  gas_scale: 'mass_kg (kg, gross cylinder mass)',
  kiln_pressure: 'pressure_pa (Pa, gauge)',
  oxygen: 'o2_pct (% O2 in flue gas)',
  damper: 'damper_pct (% open)',
  event: 'controller events: seq, data_json',
} as const;
export type Measurement = keyof typeof MEASUREMENTS;

export type RejectReason =
  // whole message
  | 'unknown_topic' | 'bad_id' | 'payload_too_large' | 'bad_json' | 'bad_envelope'
  | 'unsupported_version' | 'too_many_readings' | 'bad_event' | 'bad_status'
  // whole reading
  | 'bad_timestamp' | 'ts_future' | 'ts_past' | 'bad_seq' | 'empty_reading'
  // one value
  | 'wrong_type' | 'not_finite' | 'out_of_range' | 'bad_channel_name' | 'unknown_field'
  | 'bad_gas_channel' | 'too_many_channels'
  // storage
  | 'db_rejected'
  // refused by the embedded broker before decoding (docs/mqtt.md)
  | 'topic_not_allowed' | 'retain_not_allowed' | 'packet_too_large'
  // a device credential's topic rules (src/domain/access/devices.ts)
  | 'acl_denied';

export const REJECT_REASONS: readonly RejectReason[] = [
  'unknown_topic', 'bad_id', 'payload_too_large', 'bad_json', 'bad_envelope', 'unsupported_version',
  'too_many_readings', 'bad_event', 'bad_status', 'bad_timestamp', 'ts_future', 'ts_past', 'bad_seq',
  'empty_reading', 'wrong_type', 'not_finite', 'out_of_range', 'bad_channel_name', 'unknown_field',
  'bad_gas_channel', 'too_many_channels', 'db_rejected',
  'topic_not_allowed', 'retain_not_allowed', 'packet_too_large', 'acl_denied',
];

export interface Reject {
  readonly reason: RejectReason;
  readonly detail: string;
  /** How many readings (channel values) this reject covers; 0 when the message could not be read. */
  readonly readings: number;
}
