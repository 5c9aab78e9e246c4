/** CPU time and resident memory of processes, from /proc (Linux). */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let clockTicks: number | undefined;

/** Clock ticks per second (USER_HZ), the unit of utime and stime. */
export function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

interface TStat {
  ppid: number;
  /** utime + stime, in clock ticks. */
  cpuTicks: number;
}

function readStat(pid: number): TStat | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after the last ')' are fixed.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function readRssKb(pid: number): number {
  try {
    const match = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

/** The process and all its descendants (a server may start helpers; we count them all). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (!stat) continue;
    const list = children.get(stat.ppid) ?? [];
    list.push(Number(entry));
    children.set(stat.ppid, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface TProcSample {
  at: number;
  /** Seconds of CPU used so far (user + system) by the sampled processes. */
  cpuSeconds: number;
  rssMb: number;
}

/** Samples a set of processes (re-resolved each time, e.g. a server's tree) once per interval. */
export class ProcSampler {
  readonly samples: TProcSample[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly pids: () => number[]) {}

  sample(): TProcSample {
    let ticks = 0;
    let rssKb = 0;
    for (const pid of this.pids()) {
      ticks += readStat(pid)?.cpuTicks ?? 0;
      rssKb += readRssKb(pid);
    }
    const sample = { at: Date.now(), cpuSeconds: ticks / ticksPerSecond(), rssMb: rssKb / 1024 };
    this.samples.push(sample);
    return sample;
  }

  start(intervalMs = 1000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** CPU as % of one core between two instants (200 % = both cores), and RSS over the same span. */
  between(from: number, to: number): { cpuPercent: number; rssMeanMb: number; rssMaxMb: number } {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside[inside.length - 1];
    const cpuPercent = first && last && last.at > first.at ? ((last.cpuSeconds - first.cpuSeconds) / ((last.at - first.at) / 1000)) * 100 : 0;
    const rss = inside.map((s) => s.rssMb);
    return {
      cpuPercent,
      rssMeanMb: rss.length ? rss.reduce((a, b) => a + b, 0) / rss.length : 0,
      rssMaxMb: rss.length ? Math.max(...rss) : 0,
    };
  }
}

/** The 1-minute load average, to show how busy the machine was besides the benchmark. */
export function loadAverage(): number {
  try {
    return Number(fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

/** CPU time of the whole machine: busy (all but idle and iowait) and total, in seconds. */
function machineTimes(): { busy: number; total: number } {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    return { busy: (total - idle) / ticksPerSecond(), total: total / ticksPerSecond() };
  } catch {
    return { busy: 0, total: 0 };
  }
}

/** Samples the machine's busy CPU (% of one core, like ProcSampler) once per interval. */
export class MachineSampler {
  private readonly samples: { at: number; busy: number }[] = [];
  private timer?: NodeJS.Timeout;

  sample(): void {
    this.samples.push({ at: Date.now(), busy: machineTimes().busy });
  }

  start(intervalMs = 1000): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  busyPercent(from: number, to: number): number {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    const first = inside[0];
    const last = inside[inside.length - 1];
    return first && last && last.at > first.at ? ((last.busy - first.busy) / ((last.at - first.at) / 1000)) * 100 : 0;
  }
}

/** The machine's busy CPU over the next `ms` (% of one core). */
export async function machineBusyOver(ms: number): Promise<number> {
  const before = machineTimes().busy;
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ((machineTimes().busy - before) / ((Date.now() - started) / 1000)) * 100;
}
