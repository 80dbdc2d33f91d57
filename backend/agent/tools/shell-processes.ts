/**
 * What runs in an agent's terminal, seen from the process table: which
 * process group owns the terminal (the command in the foreground), whether
 * the shell is still the program it was started as (an `exec` replaces it),
 * and signals to a whole group. Linux reads /proc; macOS asks `ps`. Windows
 * has no process groups to read: every function answers "unknown" there.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';

export interface ShellProcess {
  /** The process group the shell itself is in (node-pty makes it a session leader: its own pid). */
  pgid: number;
  /** The terminal's foreground process group: the running command's, or the shell's own at a prompt. */
  tpgid: number;
  /** One-letter state: R running, S sleeping, T stopped, Z zombie… */
  state: string;
  /** The command line, which an `exec` changes. */
  command: string;
}

export type GroupSignal = 'SIGTERM' | 'SIGKILL';

function run(file: string, args: string[]): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 5_000 }, (error, stdout) => resolve(error ? null : stdout));
  });
}

async function linuxProcess(pid: number): Promise<ShellProcess | null> {
  try {
    const [stat, cmdline] = await Promise.all([
      readFile(`/proc/${pid}/stat`, 'utf8'),
      readFile(`/proc/${pid}/cmdline`, 'utf8'),
    ]);
    // Fields after the parenthesised name (which may hold spaces): state ppid pgrp session tty_nr tpgid …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      state: fields[0] ?? '?',
      pgid: Number(fields[2]),
      tpgid: Number(fields[5]),
      command: cmdline.replace(/\0+$/, '').replace(/\0/g, ' '),
    };
  } catch {
    return null;
  }
}

async function psProcess(pid: number): Promise<ShellProcess | null> {
  const out = await run('ps', ['-o', 'pgid=,tpgid=,state=,command=', '-p', String(pid)]);
  const match = out?.trim().match(/^(\d+)\s+(-?\d+)\s+(\S+)\s+(.*)$/);
  if (!match) return null;
  return {
    pgid: Number(match[1]),
    tpgid: Number(match[2]),
    state: (match[3] ?? '?').charAt(0),
    command: match[4] ?? '',
  };
}

/** The shell's process facts, or null when it is gone or they cannot be read (Windows). */
export function shellProcess(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<ShellProcess | null> {
  if (platform === 'win32') return Promise.resolve(null);
  return platform === 'linux' ? linuxProcess(pid) : psProcess(pid);
}

/** The pids of the processes whose parent is `pid` (a shell waiting on a command substitution has some). */
export async function childrenOf(
  pid: number,
  platform: NodeJS.Platform = process.platform,
): Promise<number[]> {
  if (platform === 'win32') return [];
  if (platform !== 'linux') {
    const out = (await run('ps', ['-A', '-o', 'pid=,ppid='])) ?? '';
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/).map(Number))
      .filter(([, ppid]) => ppid === pid)
      .map(([child]) => child as number);
  }
  const children: number[] = [];
  for (const entry of await readdir('/proc').catch(() => [] as string[])) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(Number(entry));
  }
  return children;
}

/** Sends `signal` to every process of group `pgid`; false when there is no such group (any more). */
export function signalGroup(pgid: number, signal: GroupSignal): boolean {
  // Never our own group: Troika's processes are not the command's.
  if (!(pgid > 1) || pgid === process.pid || process.platform === 'win32') return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}
