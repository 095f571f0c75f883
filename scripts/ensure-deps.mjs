// Runs before `npm start` and `npm test` so that a fresh clone needs no other command:
// installs the npm packages (npm ci) when they are missing or stale, and for the tests the
// Debian packages they use (influxdb, mosquitto, mosquitto-clients, curl, chromium, poppler-utils) when running as root with apt-get.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const forTests = process.argv.includes('--test');
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
const has = (bin) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

const stamp = 'node_modules/.package-lock.json';
if (!existsSync(stamp) || statSync('package-lock.json').mtimeMs > statSync(stamp).mtimeMs + 1000) {
  console.error('Installing npm packages (npm ci)...');
  if (!run('npm', ['ci', '--no-audit', '--no-fund'])) process.exit(1);
}

if (forTests) {
  const needed = [['influxd', 'influxdb'], ['mosquitto', 'mosquitto'], ['mosquitto_pub', 'mosquitto-clients'], ['curl', 'curl'], ['chromium', 'chromium'], ['pdftoppm', 'poppler-utils']].filter(([bin]) => !has(bin) && !existsSync(`/usr/sbin/${bin}`));
  if (needed.length) {
    const pkgs = needed.map(([, pkg]) => pkg);
    if (process.getuid?.() === 0 && has('apt-get')) {
      console.error(`Installing Debian packages the tests use: ${pkgs.join(' ')}...`);
      if (!run('apt-get', ['install', '-y', ...pkgs])) {
        run('apt-get', ['update']);
        if (!run('apt-get', ['install', '-y', ...pkgs])) process.exit(1);
      }
    } else {
      console.error(`The tests need these Debian packages: sudo apt-get update && sudo apt-get install -y ${pkgs.join(' ')}`);
      process.exit(1);
    }
  }
}
