// Alerts as plain readonly data (JSON-serialisable): what the engine raises and clears.
export const ALERT_KINDS = [
  'off_schedule', 'rate_too_fast', 'stall', 'over_temp', 'sensor_silent', 'tc_fault',
  'gas_idle', 'cylinder_low', 'over_usual', 'clock_skew',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
export type Severity = 'info' | 'warning' | 'critical';

export const SEVERITY: Readonly<Record<AlertKind, Severity>> = {
  off_schedule: 'warning',
  rate_too_fast: 'warning',
  stall: 'critical', // unburnt LPG in a hot kiln
  over_temp: 'critical',
  sensor_silent: 'warning',
  tc_fault: 'warning',
  gas_idle: 'critical', // a leak or a burner left open
  cylinder_low: 'warning',
  over_usual: 'info',
  clock_skew: 'warning', // readings misdated or refused: the firing's figures suffer, the ware does not
};

export interface Alert {
  /** kind.channel.raised_at_ms: the same readings give the same id on any instance. */
  readonly alert_id: string;
  readonly workshop: string;
  readonly kiln: string;
  readonly kind: AlertKind;
  /** What it is about: a zone, a gas channel, a range (water_smoking, quartz_heating...), or 'kiln'. */
  readonly channel: string;
  readonly severity: Severity;
  readonly firing_id: string | null;
  /** Device time of the reading that raised it (clock_skew: the service clock). */
  readonly raised_at_ms: number;
  readonly value: number;
  readonly threshold: number;
  readonly unit: string;
  readonly message_vi: string;
  readonly message_en: string;
  readonly cleared_at_ms: number | null;
  readonly clear_value: number | null;
  readonly acked_by: string | null;
  readonly acked_at_ms: number | null;
  readonly ack_note: string | null;
}

export type TransitionType = 'raised' | 'cleared' | 'acked';

export interface AlertTransition {
  readonly type: TransitionType;
  /** Device time for raised/cleared (clock_skew: the service clock); the service clock for acked. */
  readonly at_ms: number;
  readonly alert: Alert;
}

/** Below the clear threshold (ok), beyond the raise threshold (breach), or in the band between (hold). */
export type Level = 'ok' | 'hold' | 'breach';

/** One rule's verdict on one alert key at one instant. */
export interface Verdict {
  readonly kind: AlertKind;
  readonly channel: string;
  readonly level: Level;
  readonly value: number;
  readonly threshold: number;
  readonly unit: string;
  readonly raise_after_s: number;
  readonly clear_after_s: number;
  /** Message parameters (see messages.ts). */
  readonly detail?: string;
}
