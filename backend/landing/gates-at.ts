/**
 * The gates at a commit, as `resolveGates` finds them with the project file
 * at that commit, remembered by what they depend on: the root's entries
 * that name gates (package.json, a Makefile, the project file's folder, …)
 * and their object ids. A plan gates every task twice on commits whose
 * such files rarely change, so one `git ls-tree` stands for the three
 * or more git commands of a fresh look.
 */
import type { GateSpec } from '../protocol/landing.ts';
import { resolveGates } from './gates.ts';
import { git } from './git.ts';
import { PROJECT_FILE, projectFileAt, type ProjectFile } from './project-file.ts';

/** Root entries whose content or presence decides the gates (gates.ts, project-file.ts). */
const DECIDING = new Set([
  PROJECT_FILE.split('/')[0] as string,
  'package.json',
  'pnpm-lock.yaml',
  'yarn.lock',
  'bun.lockb',
  'bun.lock',
  'Makefile',
  'makefile',
  'GNUmakefile',
  'Cargo.toml',
  'go.mod',
  'pyproject.toml',
  'setup.cfg',
  'pytest.ini',
  'conftest.py',
  'tox.ini',
]);
const MAX_REMEMBERED = 100;

export interface GatesAt {
  project: ProjectFile | null;
  gates: GateSpec[];
}

const remembered = new Map<string, GatesAt>();

export async function gatesAt(repo: string, commit: string): Promise<GatesAt> {
  const listing = await git(repo, ['ls-tree', '-z', commit]);
  const deciding = listing.stdout
    .split('\0')
    .filter((line) => DECIDING.has(line.slice(line.indexOf('\t') + 1)))
    .sort();
  const key = `${repo}\0${deciding.join('\0')}`;
  const known = remembered.get(key);
  if (known) return known;
  const project = await projectFileAt(repo, commit);
  const found = { project, gates: await resolveGates(repo, commit, project) };
  if (remembered.size >= MAX_REMEMBERED)
    remembered.delete(remembered.keys().next().value as string);
  remembered.set(key, found);
  return found;
}
