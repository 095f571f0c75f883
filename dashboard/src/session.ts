// Who is logged in (GET /api/auth/me) and what their role may do. The navigation and the pages
// hide what the role may not use; the service refuses it anyway (src/http/auth.ts), so hiding is
// only for a tidy screen. The rules are the service's own (src/domain/access/roles.ts: pure).
import { api } from './api.ts';
import { may, type Permission, type Role } from '../../src/domain/access/roles.ts';

export interface Me {
  id: string;
  username: string;
  role: Role;
  workshops: string[];
  villages: string[];
  must_change_password: boolean;
  scope: 'all' | string[];
  via: 'session' | 'token';
}

let me: Me | null = null;
export const currentUser = (): Me | null => me;
export const setCurrentUser = (m: Me | null): void => { me = m; };
export async function loadMe(): Promise<Me> {
  me = await api<Me>('/api/auth/me');
  return me;
}

/** Whether the logged-in user's role has the permission (false when nobody is logged in). */
export const can = (perm: Permission): boolean => me !== null && may({ user_id: me.id, username: me.username, role: me.role, workshops: me.workshops, villages: me.villages }, perm);

/** A path inside this site to return to after logging in: anything else (another host) becomes '/'. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.startsWith('/login') || next.startsWith('/password')) return '/';
  return next;
}

export const loginPath = (next: string) => `/login?next=${encodeURIComponent(safeNext(next))}`;
