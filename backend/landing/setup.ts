/**
 * Worktree setup: many repositories do not build from a bare checkout
 * (ignored `.env`, `node_modules`). The project file's `setup` copies or
 * links such paths from the main checkout into a new worktree, then runs its
 * command there. Used for agents' worktrees when they are created and for
 * the gates' temporary worktree before the gates run.
 */
import { existsSync } from 'node:fs';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ProjectFile } from './project-file.ts';
import { runCommand } from './run-command.ts';

export interface SetupResult {
  ok: boolean;
  /** What went wrong, for a person (and for the agent). */
  error: string | null;
  output: string;
}

export async function runSetup(
  worktree: string,
  mainCheckout: string,
  project: ProjectFile | null,
  onOutput: (chunk: string) => void = () => undefined,
): Promise<SetupResult> {
  const setup = project?.setup;
  if (!setup) return { ok: true, error: null, output: '' };
  let output = '';
  const say = (text: string) => {
    output += text;
    onOutput(text);
  };
  const problems: string[] = [];
  const place = async (path: string, how: 'copy' | 'link') => {
    const from = join(mainCheckout, path);
    const to = join(worktree, path);
    if (!existsSync(from)) {
      problems.push(`${path} is not in ${mainCheckout}`);
      say(`[troika] setup: ${path} not found in the main checkout\r\n`);
      return;
    }
    if (existsSync(to)) return;
    await mkdir(dirname(to), { recursive: true });
    if (how === 'copy') await cp(from, to, { recursive: true, preserveTimestamps: true });
    else await symlink(from, to);
    say(`[troika] setup: ${how === 'copy' ? 'copied' : 'linked'} ${path}\r\n`);
  };
  try {
    for (const path of setup.copy) await place(path, 'copy');
    for (const path of setup.link) await place(path, 'link');
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0)
    return { ok: false, error: `Worktree setup failed: ${problems.join('; ')}`, output };
  if (!setup.command) return { ok: true, error: null, output };
  say(`\r\n\x1b[1m$ ${setup.command}\x1b[0m\r\n`);
  const run = await runCommand(setup.command, {
    cwd: worktree,
    timeoutMs: setup.timeoutSeconds * 1000,
    onOutput: say,
  });
  if (run.timedOut)
    return { ok: false, error: `Worktree setup "${setup.command}" hit its time limit`, output };
  if (run.exitCode !== 0)
    return {
      ok: false,
      error: `Worktree setup "${setup.command}" exited with code ${run.exitCode}`,
      output,
    };
  return { ok: true, error: null, output };
}
