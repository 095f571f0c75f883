import { describe, expect, it } from 'vitest';
import { may, workshopScope, type Principal } from '../../../src/domain/access/roles.ts';

const p = (role: Principal['role'], workshops: string[] = [], villages: string[] = []): Principal => ({ user_id: 'u', username: 'x', role, workshops, villages });
const registry = [{ id: 'bt01', village: 'Bát Tràng' }, { id: 'bt02', village: 'Bát Tràng' }, { id: 'pc01', village: 'Phù Lãng' }];

describe('roles', () => {
  it('an owner enters records and acknowledges alerts, but sets no prices, baselines or devices', () => {
    const o = p('owner', ['bt01']);
    expect(['read', 'enter_records', 'ack_alerts', 'edit_alert_settings'].every((x) => may(o, x as never))).toBe(true);
    expect(['edit_prices', 'edit_baselines', 'manage_devices', 'manage_users'].some((x) => may(o, x as never))).toBe(false);
  });
  it('a technician provisions devices and edits alert settings; no prices or baselines', () => {
    const t = p('technician', ['bt01']);
    expect(may(t, 'manage_devices') && may(t, 'edit_alert_settings')).toBe(true);
    expect(may(t, 'edit_prices') || may(t, 'edit_baselines') || may(t, 'enter_records') || may(t, 'ack_alerts')).toBe(false);
  });
  it('an adviser enters baselines and reads the roll-up; never changes readings or alerts', () => {
    const a = p('adviser');
    expect(may(a, 'edit_baselines') && may(a, 'read_rollup')).toBe(true);
    expect(may(a, 'ack_alerts') || may(a, 'edit_alert_settings') || may(a, 'enter_records') || may(a, 'manage_devices')).toBe(false);
  });
  it('scopes: named workshops; an adviser also every workshop of a named village; an admin all', () => {
    expect([...(workshopScope(p('owner', ['bt01']), registry) as Set<string>)]).toEqual(['bt01']);
    expect([...(workshopScope(p('owner', ['bt01'], ['Bát Tràng']), registry) as Set<string>)]).toEqual(['bt01']); // villages only count for advisers
    expect([...(workshopScope(p('adviser', ['pc01'], ['Bát Tràng']), registry) as Set<string>)].sort()).toEqual(['bt01', 'bt02', 'pc01']);
    expect(workshopScope(p('admin'), registry)).toBe('all');
  });
});
