// Memory and CPU of a process from /proc (Linux): VmRSS now, VmHWM (the kernel's peak RSS), and
// CPU time, sampled once a second; plus the whole machine's busy share from /proc/stat.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';

const TICKS_S = 100; // USER_HZ, 100 on Linux x86-64

export function memOf(pid: number): { rss_mb: number; hwm_mb: number; anon_mb: number; file_mb: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN);
  // RssFile is pages mapped from files (node's own binary, its ICU data, libraries): the kernel
  // counts them in VmRSS, though they are shared and can be dropped and read back.
  return { rss_mb: kb('VmRSS') / 1024, hwm_mb: kb('VmHWM') / 1024, anon_mb: kb('RssAnon') / 1024, file_mb: kb('RssFile') / 1024 };
}

export function cpuSecondsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
  return (Number(f[11]) + Number(f[12])) / TICKS_S; // utime + stime
}

function machineTicks(): { busy: number; total: number } {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

export class ProcSampler {
  rss_max_mb = 0;
  hwm_mb = 0;
  rss_now_mb = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly cpu0: number;
  private readonly m0 = machineTicks();
  private readonly t0 = Date.now();

  constructor(private readonly pid: number) {
    this.cpu0 = cpuSecondsOf(pid);
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
  }

  /** Stop and return CPU use since construction: the process (cores) and the machine (busy %). */
  stop(): { proc_cores: number; machine_busy_pct: number } {
    clearInterval(this.timer);
    this.sample();
    const dt_s = (Date.now() - this.t0) / 1000;
    const m = machineTicks();
    return { proc_cores: (cpuSecondsOf(this.pid) - this.cpu0) / dt_s, machine_busy_pct: (100 * (m.busy - this.m0.busy)) / (m.total - this.m0.total) };
  }

  private sample(): void {
    try {
      const m = memOf(this.pid);
      this.rss_now_mb = m.rss_mb;
      this.rss_max_mb = Math.max(this.rss_max_mb, m.rss_mb);
      this.hwm_mb = Math.max(this.hwm_mb, m.hwm_mb);
      if (process.env.BENCH_RSS_LOG) appendFileSync(process.env.BENCH_RSS_LOG, `${Date.now()} pid ${this.pid} rss ${m.rss_mb.toFixed(0)} hwm ${m.hwm_mb.toFixed(0)} anon ${m.anon_mb.toFixed(0)} file ${m.file_mb.toFixed(0)}\n`);
    } catch {
      // process gone
    }
  }
}

/** Child processes of `ppid` by command name (comm), e.g. the mosquitto and influxd this benchmark started. */
export function childPids(ppid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) === ppid) out.set(comm, Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

/** CPU use (in cores) of several processes between start() and stop(). */
export class CpuMeter {
  private t0 = 0;
  private readonly c0 = new Map<string, number>();
  private m0 = machineTicks();

  constructor(private readonly pids: ReadonlyMap<string, number>) {}

  start(): this {
    this.t0 = Date.now();
    this.m0 = machineTicks();
    for (const [name, pid] of this.pids) this.c0.set(name, safeCpu(pid));
    return this;
  }

  stop(): string {
    const dt_s = (Date.now() - this.t0) / 1000;
    const m = machineTicks();
    const parts = [...this.pids].map(([name, pid]) => `${name} ${((safeCpu(pid) - (this.c0.get(name) ?? 0)) / dt_s).toFixed(2)}`);
    return `CPU cores used: ${parts.join(', ')}; machine ${Math.round((100 * (m.busy - this.m0.busy)) / (m.total - this.m0.total))} % busy`;
  }
}

function safeCpu(pid: number): number {
  try { return cpuSecondsOf(pid); } catch { return NaN; }
}
