// Alert history, acknowledgements and per-kiln alert settings, in InfluxDB beside the user records
// (retention policy `records`, DURATION INF, so they outlive a readings retention):
//   measurement `alert`: one point per transition
//     tags   workshop, kiln, kind, channel, transition (raised|cleared|acked)
//     fields alert_id, json (the alert as it was at that transition)
//     time   device time of the raise / clear; the service clock for an ack
//   measurement `alert_settings`: one point per save (tags workshop, kiln; fields json, by), newest wins.
// Writes go straight to InfluxDB (not the readings spool); a failed write is retried by the caller.
import { escape } from 'influx';
import type { InfluxStore } from '../adapters/influx/store.ts';
import { RECORDS_RP, type RecordStore } from '../records/store.ts';
import { rowsOf, type Row } from '../adapters/influx/query.ts';
import { lineOf } from '../adapters/influx/line.ts';
import type { Alert, AlertSettingsPatch, AlertTransition } from '../domain/alerts/index.ts';

export const ALERT_MEASUREMENT = 'alert';
export const SETTINGS_MEASUREMENT = 'alert_settings';

export interface StoredTransition { readonly type: AlertTransition['type']; readonly at_ms: number; readonly alert: Alert }

export interface SavedSettings { readonly workshop: string; readonly kiln: string; readonly saved_at_ms: number; readonly by: string; readonly settings: AlertSettingsPatch }

export class AlertStore {
  constructor(private readonly influx: InfluxStore, private readonly records: RecordStore) {}

  line(t: AlertTransition): string {
    const a = t.alert;
    const tags = { channel: a.channel, kind: a.kind, kiln: a.kiln, transition: t.type, workshop: a.workshop };
    return lineOf(ALERT_MEASUREMENT, tags, { alert_id: a.alert_id, json: JSON.stringify(a) }, t.at_ms);
  }

  /** Store transitions; resolves once InfluxDB has them. */
  async write(ts: readonly AlertTransition[]): Promise<void> {
    if (ts.length === 0) return;
    await this.records.ensure();
    await this.influx.writeLines(ts.map((t) => this.line(t)), RECORDS_RP);
  }

  /** Transitions of a workshop (optionally one alert) from from_ms to to_ms, oldest first. */
  async transitions(workshop: string, from_ms: number, to_ms: number, alert_id?: string): Promise<StoredTransition[]> {
    const where = [`"workshop"=${escape.stringLit(workshop)}`, `time >= ${Math.floor(from_ms)}ms`, `time <= ${Math.ceil(to_ms)}ms`];
    if (alert_id !== undefined) where.push(`"alert_id"=${escape.stringLit(alert_id)}`);
    const rows = await this.select(`SELECT "json", "transition" FROM "${RECORDS_RP}"."${ALERT_MEASUREMENT}" WHERE ${where.join(' AND ')} GROUP BY "transition" ORDER BY time ASC`);
    const out: StoredTransition[] = [];
    for (const r of rows) {
      const json = r.col('json');
      const type = r.tags.transition ?? r.col('transition');
      if (typeof json !== 'string' || (type !== 'raised' && type !== 'cleared' && type !== 'acked')) continue;
      out.push({ type, at_ms: Number(r.col('time')), alert: JSON.parse(json) as Alert });
    }
    return out.sort((a, b) => a.at_ms - b.at_ms);
  }

  /** Alerts raised since from_ms and never cleared (to put back after a restart), with their acks. */
  async activeSince(from_ms: number): Promise<Alert[]> {
    const rows = await this.select(`SELECT "json", "alert_id", "workshop", "kiln", "transition" FROM "${RECORDS_RP}"."${ALERT_MEASUREMENT}" WHERE time >= ${Math.floor(from_ms)}ms GROUP BY "transition"`);
    const byId = new Map<string, { raised?: Alert; cleared: boolean; ack?: Alert }>();
    for (const r of rows) {
      const json = r.col('json');
      const alert_id = r.col('alert_id');
      if (typeof json !== 'string' || typeof alert_id !== 'string') continue;
      // An alert id is unique per kiln only (kind.channel.raised_at_ms): kilns silenced at the same instant share one.
      const id = `${String(r.col('workshop'))}/${String(r.col('kiln'))}/${alert_id}`;
      const e = byId.get(id) ?? { cleared: false };
      const type = r.tags.transition ?? r.col('transition');
      if (type === 'raised') e.raised = JSON.parse(json) as Alert;
      else if (type === 'cleared') e.cleared = true;
      else if (type === 'acked') e.ack = JSON.parse(json) as Alert;
      byId.set(id, e);
    }
    return [...byId.values()].flatMap((e) => (e.raised && !e.cleared ? [e.ack ? { ...e.raised, acked_by: e.ack.acked_by, acked_at_ms: e.ack.acked_at_ms, ack_note: e.ack.ack_note } : e.raised] : []));
  }

  async saveSettings(workshop: string, kiln: string, by: string, settings: AlertSettingsPatch, at_ms: number): Promise<SavedSettings> {
    await this.records.ensure();
    await this.influx.writeLines([lineOf(SETTINGS_MEASUREMENT, { kiln, workshop }, { by, json: JSON.stringify(settings) }, at_ms)], RECORDS_RP);
    return { workshop, kiln, saved_at_ms: at_ms, by, settings };
  }

  /** The newest saved settings of every kiln. */
  async allSettings(): Promise<SavedSettings[]> {
    const rows = await this.select(`SELECT "json", "by" FROM "${RECORDS_RP}"."${SETTINGS_MEASUREMENT}" GROUP BY "workshop", "kiln" ORDER BY time DESC LIMIT 1`);
    return rows.flatMap((r) => {
      const json = r.col('json');
      if (typeof json !== 'string' || !r.tags.workshop || !r.tags.kiln) return [];
      return [{ workshop: r.tags.workshop, kiln: r.tags.kiln, saved_at_ms: Number(r.col('time')), by: String(r.col('by') ?? ''), settings: JSON.parse(json) as AlertSettingsPatch }];
    });
  }

  /** Every saved version of one kiln's settings, newest first. */
  async settingsHistory(workshop: string, kiln: string): Promise<SavedSettings[]> {
    const rows = await this.select(`SELECT "json", "by" FROM "${RECORDS_RP}"."${SETTINGS_MEASUREMENT}" WHERE "workshop"=${escape.stringLit(workshop)} AND "kiln"=${escape.stringLit(kiln)} ORDER BY time DESC LIMIT 1000`);
    return rows.flatMap((r) => {
      const json = r.col('json');
      return typeof json === 'string' ? [{ workshop, kiln, saved_at_ms: Number(r.col('time')), by: String(r.col('by') ?? ''), settings: JSON.parse(json) as AlertSettingsPatch }] : [];
    });
  }

  private async select(q: string): Promise<Row[]> {
    await this.records.ensure();
    return rowsOf(await this.influx.query(q));
  }
}
