/**
 * The merge of two branches computed by `git merge-tree --write-tree` (git
 * 2.38+): the resulting tree is written to the object store, no working
 * tree or index is touched. On a conflict the stages of each conflicting
 * file say which blob each side holds, so both sides can be shown.
 */
import type { ConflictFile } from '../protocol/landing.ts';
import { git, LandingError } from './git.ts';

/** A side larger than this is cut: nobody reads it in a dialog. */
const MAX_SIDE_CHARS = 100_000;
/** Git's own test for binary content: a NUL in the first 8000 bytes. */
const BINARY_SNIFF = 8000;

export interface MergeTree {
  /** The merged tree (with conflict markers where it conflicts). */
  tree: string;
  clean: boolean;
  conflicts: ConflictFile[];
  messages: string[];
}

interface StageEntry {
  oid: string;
  stage: number;
  path: string;
}

/**
 * Parses `git merge-tree --write-tree -z` output: `<tree>\0`, then
 * `<mode> <oid> <stage>\t<path>\0` per conflicting stage, an empty field,
 * then messages as `<n>\0<path>…\0<type>\0<text>\0`.
 */
export function parseMergeTree(out: string): {
  tree: string;
  stages: StageEntry[];
  messages: string[];
} {
  const fields = out.split('\0');
  const tree = fields[0] ?? '';
  const stages: StageEntry[] = [];
  let i = 1;
  for (; i < fields.length; i++) {
    const field = fields[i] ?? '';
    if (field === '') break;
    const match = /^\d+ ([0-9a-f]+) (\d)\t(.*)$/s.exec(field);
    if (!match) throw new LandingError(`Unexpected merge-tree output: ${field.slice(0, 80)}`);
    stages.push({ oid: match[1] ?? '', stage: Number(match[2]), path: match[3] ?? '' });
  }
  const messages: string[] = [];
  for (i++; i < fields.length;) {
    const count = Number(fields[i]);
    if (!Number.isInteger(count) || fields[i] === '') break;
    i += 1 + count;
    i++; // the conflict type, machine-readable
    const text = fields[i++];
    if (text) messages.push(text.trimEnd());
  }
  return { tree, stages, messages };
}

async function blobText(
  repo: string,
  oid: string | undefined,
): Promise<{ text: string | null; truncated: boolean; binary: boolean }> {
  if (!oid) return { text: null, truncated: false, binary: false };
  const content = (await git(repo, ['cat-file', 'blob', oid])).stdout;
  const binary = content.slice(0, BINARY_SNIFF).includes('\0');
  if (binary) return { text: null, truncated: false, binary: true };
  const truncated = content.length > MAX_SIDE_CHARS;
  return { text: truncated ? content.slice(0, MAX_SIDE_CHARS) : content, truncated, binary: false };
}

/** Merges `source` into `target` (both commits) as git merge would, in the object store only. */
export async function mergeTree(repo: string, target: string, source: string): Promise<MergeTree> {
  const result = await git(
    repo,
    ['merge-tree', '--write-tree', '-z', '--messages', target, source],
    {
      okCodes: [1],
    },
  );
  const parsed = parseMergeTree(result.stdout);
  if (!/^[0-9a-f]{40,64}$/.test(parsed.tree))
    throw new LandingError(`git merge-tree gave no tree: ${result.stderr.trim()}`);
  const byPath = new Map<string, StageEntry[]>();
  for (const entry of parsed.stages) {
    const list = byPath.get(entry.path) ?? [];
    list.push(entry);
    byPath.set(entry.path, list);
  }
  const conflicts: ConflictFile[] = [];
  for (const [path, entries] of byPath) {
    const ours = await blobText(repo, entries.find((e) => e.stage === 2)?.oid);
    const theirs = await blobText(repo, entries.find((e) => e.stage === 3)?.oid);
    conflicts.push({
      path,
      ours: ours.text,
      theirs: theirs.text,
      truncated: ours.truncated || theirs.truncated,
      binary: ours.binary || theirs.binary,
    });
  }
  return {
    tree: parsed.tree,
    clean: result.code === 0,
    conflicts,
    messages: parsed.messages,
  };
}
