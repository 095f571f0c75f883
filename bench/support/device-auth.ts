// BENCH_DEVICE_AUTH=both: the end-to-end phases again with device credentials on, to compare with
// the same phases without. The publisher logs in as a gateway of the one workshop the benchmark
// then publishes for (payload.ts); on the Mosquitto path with the password and ACL files the
// service makes (src/access/mosquitto-files.ts), on the embedded path against the access file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessService } from '../../src/access/service.ts';
import { mosquittoFiles } from '../../src/access/mosquitto-files.ts';
import { mosquittoHash } from '../../src/access/secrets.ts';
import { startTestMosquitto, type TestMosquitto } from '../../tests/support/mosquitto.ts';
import { BENCH_WORKSHOP } from './payload.ts';

export const DEVICE_AUTH = process.env.BENCH_DEVICE_AUTH === 'both';

export const SERVICE_USER = { username: 'kiln-bench-service', password: 'bench-service-password' };

/** A gateway credential for the benchmark's workshop in `dir`/access.json (the service's DATA_DIR). */
export function benchGateway(dir: string): { username: string; secret: string } {
  const { device, secret } = AccessService.open(join(dir, 'access.json')).createDevice(BENCH_WORKSHOP, null);
  return { username: device.username, secret };
}

export function withLogin(url: string, login: { username: string; secret: string }): string {
  const u = new URL(url);
  u.username = login.username;
  u.password = login.secret;
  return u.toString().replace(/\/$/, '');
}

/** A second Mosquitto (the shipped config) with password and ACL files for the gateway in `dir` and the service user. */
export async function authMosquitto(dir: string): Promise<TestMosquitto> {
  const files = mosquittoFiles(AccessService.open(join(dir, 'access.json')).devices(), { username: SERVICE_USER.username, mosquitto_hash: mosquittoHash(SERVICE_USER.password) });
  return startTestMosquitto(undefined, (conf, mq) => {
    // In the broker's own folder, which the 'mosquitto' user it drops to can read.
    writeFileSync(join(mq, 'passwd'), files.passwd, { mode: 0o644 });
    writeFileSync(join(mq, 'acl'), files.acl, { mode: 0o644 });
    return conf.replace(/^allow_anonymous true$/m, `allow_anonymous false\npassword_file ${mq}/passwd\nacl_file ${mq}/acl`);
  });
}
