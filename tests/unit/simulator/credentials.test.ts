// The simulator's device credential: --username/--password (or KILNSIM_MQTT_PASSWORD) carried in
// the broker URL, against a real in-process aedes that checks them; a refusal is said at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAedes } from './aedes.ts';
import { parseCli, withCredentials } from '../../../simulator/cli.ts';
import { openLink, redactUrl } from '../../../simulator/link.ts';

let broker: Awaited<ReturnType<typeof startAedes>>;
let url = '';
const logins: string[] = [];

beforeAll(async () => {
  broker = await startAedes({
    authenticate: (_c, username, password, cb) => {
      logins.push(`${username}:${password?.toString()}`);
      if (username === 'demo.gateway' && password?.toString() === 'kd_s3cret') cb(null, true);
      else cb(Object.assign(new Error('bad user name or password'), { returnCode: 4 }), false);
    },
  });
  url = broker.url;
});
afterAll(() => broker.close());

describe('simulator credentials', () => {
  it('takes --username with --password or KILNSIM_MQTT_PASSWORD, into the URL', () => {
    expect(parseCli(['--url', 'mqtt://h:1884', '--username', 'demo.gateway', '--password', 'kd_x'], 0).url).toBe('mqtt://demo.gateway:kd_x@h:1884');
    expect(parseCli(['--username', 'demo.gateway'], 0, { KILNSIM_MQTT_PASSWORD: 'kd_y' }).url).toBe('mqtt://demo.gateway:kd_y@127.0.0.1:1883');
    expect(parseCli(['--url', 'mqtt://u:p@h:1884'], 0).url).toBe('mqtt://u:p@h:1884');
    expect(() => parseCli(['--password', 'x'], 0)).toThrow(/--password needs --username/);
    expect(withCredentials('mqtt://h', 'a b', 'p@ss/')).toBe('mqtt://a%20b:p%40ss%2F@h');
    expect(redactUrl('mqtt://demo.gateway:kd_x@h:1884')).toBe('mqtt://demo.gateway:***@h:1884');
  });

  it('logs in with the credential of its URL; a wrong one is refused at once, its secret not repeated', async () => {
    const link = await openLink({ url: withCredentials(url, 'demo.gateway', 'kd_s3cret'), client_prefix: 'cred-ok', connections: 2, qos: 1, inflight: 10 });
    await link.close();
    expect(logins.slice(-2)).toEqual(['demo.gateway:kd_s3cret', 'demo.gateway:kd_s3cret']);
    const t0 = Date.now();
    const err = await openLink({ url: withCredentials(url, 'demo.gateway', 'kd_wrong'), client_prefix: 'cred-bad', connections: 1, qos: 1, inflight: 10 }).then(() => null, (e: Error) => e);
    expect(err?.message).toMatch(/refused the connection .*check --username and --password/);
    expect(err?.message).not.toContain('kd_wrong');
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
