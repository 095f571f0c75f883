// Who may do what (docs/access.md). Pure: a principal (a logged-in person, or a script with one of
// their API tokens) and a permission in, yes or no out. Which workshops a principal sees is the
// other half: an owner and a technician see the workshops named on their user, an adviser the
// workshops named and every workshop of the villages named, an admin all of them.
export const ROLES = ['owner', 'technician', 'adviser', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'read', //                 firings, reports, live view, alerts, CSVs of the workshops in scope
  'enter_records', //        load and grading of a firing
  'ack_alerts', //           acknowledge an alert
  'edit_alert_settings', //  a kiln's alert thresholds
  'manage_devices', //       kiln logger and gateway credentials (MQTT)
  'edit_baselines', //       coal box-kiln baselines
  'read_rollup', //          the roll-up across workshops
  'edit_prices', //          the LPG price list (every workshop's costs)
  'manage_users', //         users, workshops registry, audit log
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  owner: ['read', 'enter_records', 'ack_alerts', 'edit_alert_settings', 'read_rollup'],
  technician: ['read', 'edit_alert_settings', 'manage_devices'],
  adviser: ['read', 'edit_baselines', 'read_rollup'],
  admin: PERMISSIONS,
};

export interface Principal {
  readonly user_id: string;
  readonly username: string;
  readonly role: Role;
  /** Workshop ids named on the user (owner, technician, adviser). */
  readonly workshops: readonly string[];
  /** Villages named on the user (adviser): every workshop of the registry in them. */
  readonly villages: readonly string[];
  /** Set for a request made with an API token. */
  readonly token_id?: string;
}

export function may(p: Principal, perm: Permission): boolean {
  return GRANTS[p.role].includes(perm);
}

/** The workshops a principal sees: 'all' for an admin, else a set of ids. `villageOf` is the registry. */
export function workshopScope(p: Principal, registry: readonly { id: string; village: string }[]): 'all' | ReadonlySet<string> {
  if (p.role === 'admin') return 'all';
  const ids = new Set(p.workshops);
  if (p.role === 'adviser' && p.villages.length > 0) {
    for (const w of registry) if (p.villages.includes(w.village)) ids.add(w.id);
  }
  return ids;
}

export function inScope(scope: 'all' | ReadonlySet<string>, workshop: string): boolean {
  return scope === 'all' || scope.has(workshop);
}
