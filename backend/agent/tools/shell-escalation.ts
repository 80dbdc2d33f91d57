/**
 * Ending a command that Ctrl-C did not end. Ctrl-C goes to the terminal's
 * foreground process group; a command can ignore it (`trap '' INT`), and a
 * shell can stop reporting its prompt (an `exec sh`, a cleared
 * PROMPT_COMMAND). Either would leave the agent's shell stuck for good, every
 * later command waiting out its whole timeout. So, in steps, each ending as
 * soon as the shell reports the command's end:
 *
 *   Ctrl-C → (grace) → SIGTERM to the foreground group → (grace) → SIGKILL to
 *   it → (grace) → the shell is given up: killed, and restarted by the caller.
 *
 * When the foreground group is the shell's own (no separate command runs), the
 * shell itself is stuck in a builtin or sits at a prompt that no longer
 * reports: it is given up at once; a shell without integration that sits idle
 * just lost the wrapper's end marker to Ctrl-C, and is kept.
 */
import { childrenOf, shellProcess, signalGroup, type GroupSignal } from './shell-processes.ts';

/** How long each step waits for the command's end; named for the product, injectable for tests. */
export interface ShellGraces {
  /** After Ctrl-C, before SIGTERM. */
  interruptMs: number;
  /** After SIGTERM, before SIGKILL. */
  termMs: number;
  /** After SIGKILL, before the shell is given up (its integration is then taken as lost). */
  killMs: number;
  /** How often a running command's shell is checked for having been replaced (`exec`). */
  checkMs: number;
}

export const INTERRUPT_GRACE_MS = 2_000;
export const TERM_GRACE_MS = 2_000;
export const KILL_GRACE_MS = 1_000;
export const SHELL_CHECK_MS = 1_000;

export const DEFAULT_GRACES: ShellGraces = {
  interruptMs: INTERRUPT_GRACE_MS,
  termMs: TERM_GRACE_MS,
  killMs: KILL_GRACE_MS,
  checkMs: SHELL_CHECK_MS,
};

/**
 * Why the shell had to be given up: it was replaced by `exec`; it stopped
 * reporting its prompt though the command ended; or it was itself stuck.
 */
export type ShellLoss = 'replaced' | 'no-prompt' | 'stuck';

export type EscalationOutcome =
  /** The command ended (the caller heard its end marker) or there is nothing more to do. */
  | { kind: 'ended' }
  /** A shell without integration is idle again: the command ended, its status unknown. */
  | { kind: 'idle' }
  | { kind: 'lost'; loss: ShellLoss };

export interface EscalationTarget {
  shellPid: number;
  integrated: boolean;
  graces: ShellGraces;
  /** Sends Ctrl-C to the terminal. */
  interrupt(): void;
  /** Resolves true as soon as the command's end marker arrives, false after `ms`. */
  ended(ms: number): Promise<boolean>;
  /** Records each signal sent to the command's group, for the report. */
  signalled(signal: GroupSignal): void;
}

export async function escalate(target: EscalationTarget): Promise<EscalationOutcome> {
  const { graces } = target;
  target.interrupt();
  if (await target.ended(graces.interruptMs)) return { kind: 'ended' };
  const shell = await shellProcess(target.shellPid);
  if (shell && shell.tpgid > 0 && shell.tpgid !== shell.pgid) {
    for (const [signal, grace] of [
      ['SIGTERM', graces.termMs],
      ['SIGKILL', graces.killMs],
    ] as const) {
      if (signalGroup(shell.tpgid, signal)) target.signalled(signal);
      if (await target.ended(grace)) return { kind: 'ended' };
    }
    // The command is gone, yet the shell did not say so: it no longer reports its prompt.
    return { kind: 'lost', loss: 'no-prompt' };
  }
  const idle =
    shell !== null && shell.state === 'S' && (await childrenOf(target.shellPid)).length === 0;
  if (idle && !target.integrated) return { kind: 'idle' };
  return { kind: 'lost', loss: idle ? 'no-prompt' : 'stuck' };
}

/** Kills the command in the terminal's foreground, if one runs (not the shell at its prompt). */
export async function killForeground(shellPid: number): Promise<void> {
  const shell = await shellProcess(shellPid);
  if (shell && shell.tpgid > 0 && shell.tpgid !== shell.pgid) signalGroup(shell.tpgid, 'SIGKILL');
}

/** Kills a given-up shell and whatever runs in its foreground, so nothing of it lingers. */
export async function killShell(shellPid: number): Promise<void> {
  await killForeground(shellPid);
  const shell = await shellProcess(shellPid);
  if (!signalGroup(shell?.pgid ?? shellPid, 'SIGKILL')) {
    try {
      process.kill(shellPid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
