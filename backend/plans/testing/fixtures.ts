/** Plans for tests: Task Master documents, Troika tasks built with defaults, a gated repository. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PlanTaskSchema,
  type PlanTask,
  type PlanTaskInput,
} from '../../protocol/payloads/plans.ts';

/** A Troika task with every default filled; `description` defaults to one naming the task. */
export function task(id: string, fields: Partial<PlanTaskInput> = {}): PlanTask {
  return PlanTaskSchema.parse({ id, title: `Task ${id}`, description: `Do ${id}`, ...fields });
}

/** A Task Master file (legacy form) the way Task Master writes one: numeric ids, status, subtasks. */
export function taskMasterFile(tasks: Array<Record<string, unknown>>): string {
  return JSON.stringify({ tasks }, null, 2);
}

/**
 * A git repository on `main` with one commit: an empty `parts/` folder and a
 * gate, `npm test`, that runs `check` as check.mjs.
 */
export function gatedRepo(repo: string, check: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  mkdirSync(join(repo, 'parts'), { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 'T');
  writeFileSync(
    join(repo, 'package.json'),
    JSON.stringify({ scripts: { test: 'node check.mjs' } }),
  );
  writeFileSync(join(repo, 'check.mjs'), check);
  writeFileSync(join(repo, 'parts', '.keep'), '');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
}
