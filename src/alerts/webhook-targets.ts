// Where an alert webhook may point. A webhook URL is typed by whoever configures the service,
// but the service then POSTs to it on its own: pointed at the box itself (127.0.0.1: InfluxDB's
// unauthenticated HTTP API, the broker), at a cloud's metadata address (169.254.169.254: the
// machine's credentials) or at another link-local service, it would make the service a way in.
// Those are refused unless ALERT_WEBHOOK_ALLOW_LOCAL=true. Private LAN ranges (10/8, 172.16/12,
// 192.168/16) are where a workshop's own chat bot lives: allowed.
// Checked twice: at config load (a URL naming such an address or `localhost`) and when sending,
// on the address the name resolved to (a name may resolve to 127.0.0.1).
import { BlockList, isIP } from 'node:net';

const blocked = new BlockList();
blocked.addSubnet('127.0.0.0', 8, 'ipv4'); // loopback
blocked.addSubnet('0.0.0.0', 8, 'ipv4'); // "this host": 0.0.0.0 connects to the box itself
blocked.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local, with the metadata address 169.254.169.254
blocked.addAddress('::1', 'ipv6');
blocked.addAddress('::', 'ipv6');
blocked.addSubnet('fe80::', 10, 'ipv6'); // link-local
blocked.addAddress('fd00:ec2::254', 'ipv6'); // a cloud's IPv6 metadata address

/** Why the service must not POST to this IP address; null when it may. */
export function forbiddenAddress(ip: string): string | null {
  // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  const addr = mapped ?? ip;
  const family = isIP(addr);
  if (family === 0) return null;
  if (!blocked.check(addr, family === 4 ? 'ipv4' : 'ipv6')) return null;
  if (addr === '169.254.169.254' || addr.toLowerCase() === 'fd00:ec2::254') return 'a cloud metadata address';
  if (addr.startsWith('169.254.') || /^fe[89ab]/i.test(addr)) return 'a link-local address';
  if (addr === '::' || addr.startsWith('0.')) return 'the unspecified address (this host)';
  return 'a loopback address (this host)';
}

/** What is wrong with a webhook URL as written (scheme, a forbidden literal address or localhost); null if nothing. */
export function webhookUrlProblem(raw: string, allow_local: boolean): string | null {
  if (!URL.canParse(raw)) return `${raw}: not a URL`;
  const u = new URL(raw);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `${raw}: must start with http:// or https://`;
  if (allow_local) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const why = host === 'localhost' || host.endsWith('.localhost') ? 'a loopback address (this host)' : forbiddenAddress(host);
  return why ? `${raw}: ${host} is ${why}; set ALERT_WEBHOOK_ALLOW_LOCAL=true to allow it` : null;
}

/** The configured list: comma-separated, blanks ignored. */
export const webhookUrls = (list: string) => list.split(',').map((u) => u.trim()).filter(Boolean);
