/**
 * CPU time of the benchmark's process tree (Linux /proc), by role: the
 * backend, the shell and what it runs, and each kind of Chromium process. On a
 * 2-core machine the pipeline's speed is mostly a question of who else wants
 * the cores the page's main thread needs; this says who.
 *
 * {@link sampleProcesses} also reads the scheduler's view of each process's main
 * thread: CPU time, time spent runnable but waiting for a core (preempted),
 * and how often it was switched in. A page main thread that waits while the
 * stream runs is losing its core to other work, not doing more of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessInfo {
  pid: number;
  ppid: number;
  /** Own CPU seconds plus those of waited-for children (so an exited `cat` still counts). */
  seconds: number;
  role: string;
}

const CLOCK_TICKS_PER_S = 100;

/** A main thread's scheduler counters (`/proc/<pid>/task/<pid>/schedstat`). */
interface ThreadCounters {
  role: string;
  runNs: number;
  waitNs: number;
  switches: number;
}

/** One reading of the tree below a root: CPU seconds by role, and every main thread's scheduler counters by pid. */
export interface ProcessSample {
  byRole: Map<string, number>;
  threads: Map<number, ThreadCounters>;
}

/** What a main thread did between two {@link sampleProcesses} readings. */
export interface ThreadSchedule {
  /** Seconds on a core. */
  cpu_s: number;
  /** Seconds runnable but waiting for a core: preempted by other work. */
  wait_s: number;
  /** Times it was switched in (each a wakeup or a return from preemption). */
  switches: number;
}

/** Reads every process below `root` once, now. */
export function sampleProcesses(root: number): ProcessSample {
  const byRole = new Map<string, number>();
  const threads = new Map<number, ThreadCounters>();
  for (const { pid, role, seconds } of processesBelow(root)) {
    byRole.set(role, (byRole.get(role) ?? 0) + seconds);
    try {
      const [runNs, waitNs, switches] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')
        .trim()
        .split(' ')
        .map(Number);
      threads.set(pid, { role, runNs: runNs ?? 0, waitNs: waitNs ?? 0, switches: switches ?? 0 });
    } catch {
      // Exited, or no schedstat (kernel without CONFIG_SCHED_INFO).
    }
  }
  return { byRole, threads };
}

/** CPU seconds each role used between two readings, largest first. */
export function cpuSince(before: ProcessSample, after: ProcessSample): Record<string, number> {
  const used = [...after.byRole].map(
    ([role, seconds]) => [role, round(seconds - (before.byRole.get(role) ?? 0))] as const,
  );
  return Object.fromEntries(used.filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]));
}

/**
 * The busiest main thread of `role` between two readings (the page's renderer
 * among Chromium's renderers, say), or undefined if none ran.
 */
export function busiestMainThread(
  before: ProcessSample,
  after: ProcessSample,
  role: string,
): ThreadSchedule | undefined {
  let busiest: ThreadSchedule | undefined;
  for (const [pid, now] of after.threads) {
    if (now.role !== role) continue;
    const then = before.threads.get(pid) ?? { runNs: 0, waitNs: 0, switches: 0 };
    const cpu = (now.runNs - then.runNs) / 1e9;
    if (cpu <= 0 || (busiest && busiest.cpu_s >= cpu)) continue;
    busiest = {
      cpu_s: round(cpu),
      wait_s: round((now.waitNs - then.waitNs) / 1e9),
      switches: now.switches - then.switches,
    };
  }
  return busiest;
}

const round = (n: number): number => Number(n.toFixed(2));

function processesBelow(root: number): ProcessInfo[] {
  const all = readProcesses();
  const below = new Set<number>([root]);
  // Parents come before children in pid order often but not always: repeat until stable.
  for (let grew = true; grew;) {
    grew = false;
    for (const process of all)
      if (!below.has(process.pid) && below.has(process.ppid)) {
        below.add(process.pid);
        grew = true;
      }
  }
  return all.filter((process) => process.pid !== root && below.has(process.pid));
}

function readProcesses(): ProcessInfo[] {
  const processes: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) in parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
      // Chromium rewrites its children's titles with spaces between arguments.
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split(/[\0 ]/);
      processes.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        seconds: ticks / CLOCK_TICKS_PER_S,
        role: roleOf(cmdline),
      });
    } catch {
      // Exited while being read.
    }
  }
  return processes;
}

function roleOf(cmdline: string[]): string {
  const program = cmdline[0] ?? '';
  if (/chrom/.test(program)) {
    const type = cmdline.find((arg) => arg.startsWith('--type='))?.slice('--type='.length);
    if (!type) return 'chromium_browser';
    if (type === 'utility') {
      const sub = cmdline.find((arg) => arg.startsWith('--utility-sub-type=')) ?? '';
      return /network/i.test(sub) ? 'chromium_network' : 'chromium_utility';
    }
    return `chromium_${type.replace(/-process$/, '').replace(/-/g, '_')}`;
  }
  if (cmdline.some((arg) => arg.endsWith('backend/server/main.ts'))) return 'backend';
  const name = program.split('/').at(-1) ?? program;
  return name === 'node' ? 'node' : `shell_and_children`;
}
