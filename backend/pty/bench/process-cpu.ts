/**
 * CPU time of the benchmark's process tree (Linux /proc), by role: the
 * backend, the shell and what it runs, and each kind of Chromium process. On a
 * 2-core machine the pipeline's speed is mostly a question of who else wants
 * the cores the page's main thread needs; this says who.
 */
import { readdirSync, readFileSync } from 'node:fs';

interface ProcessTimes {
  pid: number;
  ppid: number;
  /** Own CPU seconds plus those of waited-for children (so an exited `cat` still counts). */
  seconds: number;
  role: string;
}

const CLOCK_TICKS_PER_S = 100;

/** CPU seconds by role for every process below `root`, now. */
export function cpuByRole(root: number): Map<string, number> {
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
  const byRole = new Map<string, number>();
  for (const process of all) {
    if (process.pid === root || !below.has(process.pid)) continue;
    byRole.set(process.role, (byRole.get(process.role) ?? 0) + process.seconds);
  }
  return byRole;
}

/** CPU seconds each role used between two {@link cpuByRole} readings, largest first. */
export function cpuSince(
  before: Map<string, number>,
  after: Map<string, number>,
): Record<string, number> {
  const used = [...after].map(
    ([role, seconds]) => [role, Number((seconds - (before.get(role) ?? 0)).toFixed(2))] as const,
  );
  return Object.fromEntries(used.filter(([, s]) => s > 0).sort((a, b) => b[1] - a[1]));
}

function readProcesses(): ProcessTimes[] {
  const processes: ProcessTimes[] = [];
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
