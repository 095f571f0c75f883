// Alerts (src/alerts, docs/alerts.md): active alerts, a workshop's history, acknowledging one,
// and a kiln's thresholds.
import { z } from 'zod';
import { ALERT_KINDS, alertSettingsPatchSchema } from '../../domain/alerts/index.ts';
import { kilnParams, list } from './common.ts';
import type { Alert as DomainAlert, AlertSettings } from '../../domain/alerts/index.ts';
import type { Assert, Covers } from './common.ts';

export const alertParams = kilnParams.extend({ alert_id: z.string().regex(/^[a-z_]{1,40}\.[A-Za-z0-9_-]{1,60}\.\d{1,16}$/, 'must be an alert id, kind.channel.raised_at_ms') });
export const historyQuery = z.object({ from: z.iso.datetime({ offset: true }).optional(), to: z.iso.datetime({ offset: true }).optional() });
// `by` from older clients is accepted and ignored: the service records the logged-in user.
const ignoredBy = z.string().max(200).optional().describe('Ignored: the service records the logged-in user');
export const ackBody = z.strictObject({ by: ignoredBy, note: z.string().trim().max(500).optional() });
export const settingsBody = z.strictObject({ by: ignoredBy, settings: alertSettingsPatchSchema });

const num = z.number().nullable();
const text = z.string().nullable();

export const alert = z.object({
  alert_id: z.string().describe('kind.channel.raised_at_ms: the same readings give the same id on any instance'),
  workshop: z.string(),
  kiln: z.string(),
  kind: z.enum(ALERT_KINDS),
  channel: z.string().describe('A zone, a gas channel, a range (water_smoking, quartz_heating…), or kiln'),
  severity: z.enum(['info', 'warning', 'critical']),
  firing_id: text,
  raised_at_ms: z.number().describe('Device time of the reading that raised it (clock_skew: the service clock)'),
  value: z.number(),
  threshold: z.number(),
  unit: z.string(),
  message_vi: z.string(),
  message_en: z.string(),
  cleared_at_ms: num,
  clear_value: num,
  acked_by: text,
  acked_at_ms: num,
  ack_note: text,
});
export type Alert = z.infer<typeof alert>;

export const activeAlerts = z.object({ active: list(alert) });
export const alertHistory = z.object({ workshop: z.string(), from: z.string(), to: z.string(), active: list(alert), alerts: list(alert) });
export const ackResponse = z.object({ alert });

/** Every threshold, as in force (src/domain/alerts/settings.ts AlertSettings). */
const fullSettings = z.object(alertSettingsPatchSchema.required().shape);
export const alertSettingsView = z.object({
  workshop: z.string(),
  kiln: z.string(),
  source: z.enum(['saved', 'default']),
  saved_at_ms: num,
  by: text,
  settings: fullSettings,
  overrides: alertSettingsPatchSchema.describe('What was saved for this kiln (any subset)'),
  defaults: fullSettings,
});
export type AlertSettingsView = z.infer<typeof alertSettingsView>;
export const alertSettingsHistory = z.object({
  workshop: z.string(),
  kiln: z.string(),
  versions: list(z.object({ saved_at: z.string(), saved_at_ms: z.number(), by: z.string(), overrides: alertSettingsPatchSchema })),
});

type _Covered = [Assert<Covers<Alert, DomainAlert>>, Assert<Covers<z.infer<typeof fullSettings>, AlertSettings>>];
