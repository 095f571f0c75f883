// What a technician watches when a sensor fails: each channel's newest raw value and how long ago
// it was read (a thermocouple that stops reading shows an age that grows), and the fault a test
// rig (the simulator) just acknowledged on its status topic, shown the moment it arrives.
import { h } from '../dom.ts';
import { fmtAgo, fmtByName, num, t, zoneName, type Key } from '../i18n.ts';
import type { KilnLiveView } from '../types.ts';

const MEASUREMENTS: Record<string, Key> = {
  temperature: 'temp', gas_flow: 'gas_flow', gas_total: 'raw_gas_total', gas_scale: 'raw_gas_scale',
  oxygen: 'raw_oxygen', damper: 'raw_damper', kiln_pressure: 'raw_pressure',
};
/** A kiln has one of each of these probes (channel "main"): their name alone says which. */
const ONE_PER_KILN = new Set(['oxygen', 'damper', 'kiln_pressure']);
const FAULTS: Record<string, Key> = {
  tc_open: 'fault_tc_open', tc_drift: 'fault_tc_drift', flame_out: 'fault_flame_out', gas_out: 'fault_gas_out', silent: 'fault_silent',
  net_cut: 'fault_net_cut', duplicate: 'fault_duplicate', reorder: 'fault_reorder', malformed: 'fault_malformed', clock_skew: 'fault_clock_skew',
};

/** Seconds while under a minute (a technician waits for the next reading), then coarser. */
export function fmtAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return t('ago', { ago: s < 60 ? t('age_seconds', { n: s }) : fmtAgo(ms) });
}

function rawValue(field: string, v: number): string {
  if (field.endsWith('_m3_h')) return `${num(v, 2)} m³/h`;
  if (field.endsWith('_m3')) return `${num(v, 3)} m³`;
  if (field.endsWith('_pa')) return `${num(v, 1)} Pa`;
  return fmtByName(field, v);
}

export const faultName = (type: string): string => (FAULTS[type] ? t(FAULTS[type]) : type);

/** "fault injected: thermocouple open (zone top)", or "fault cleared: …". */
export function faultText(f: NonNullable<KilnLiveView['fault_ack']>): string {
  const what = f.type === 'clear' ? (f.of ? faultName(f.of) : t('fault_all')) : faultName(f.type);
  const named = f.zone ? t('fault_zone', { fault: what, zone: zoneName(f.zone) }) : what;
  return t(f.type === 'clear' ? 'fault_cleared' : 'fault_injected', { fault: named });
}

export function channelsSection() {
  const banner = h('p', { class: 'fault-ack', id: 'kiln-fault', role: 'status', hidden: true });
  const body = h('tbody', {});
  const table = h('table', { class: 'raw', id: 'kiln-channels' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('raw_channel')), h('th', { scope: 'col' }, t('raw_value')), h('th', { scope: 'col' }, t('raw_age')))), body);
  const empty = h('p', { class: 'muted' }, t('raw_none'));
  const el = h('section', {}, h('h2', {}, t('raw_title')), h('p', { class: 'muted' }, t('raw_help')), banner, empty, h('div', { class: 'table-wrap' }, table));
  let last: KilnLiveView | null = null;

  /** Values on each update; ages also every second (tick). */
  function show(v: KilnLiveView | null): void {
    last = v;
    const now = Date.now();
    const rows = Object.entries(v?.channels ?? {});
    empty.hidden = rows.length > 0;
    table.hidden = rows.length === 0;
    body.replaceChildren(...rows.map(([k, r]) => {
      const [m = '', ch = ''] = k.split('/');
      // A zone as a potter says it; another channel by the logger's own name (shown as such).
      const name = MEASUREMENTS[m];
      const label = !name ? [h('code', {}, k)] : ONE_PER_KILN.has(m) ? [t(name)]
        : [`${t(name)} · `, m === 'temperature' ? zoneName(ch) : h('code', {}, ch)];
      return h('tr', { 'data-channel': k, 'data-ts': r.ts_ms }, h('td', {}, ...label), h('td', { class: 'num' }, rawValue(r.field, r.value)), h('td', { class: 'age' }, fmtAge(now - r.ts_ms)));
    }));
    const f = v?.fault_ack ?? null;
    banner.hidden = f === null;
    if (f) {
      banner.dataset.fault = f.type;
      banner.textContent = `${faultText(f)} · ${fmtAge(now - f.received_at_ms)}`;
    }
  }
  const tick = setInterval(() => { if (last) show(last); }, 1000);
  return { el, show, stop: () => clearInterval(tick) };
}
