/**
 * Which tool calls only read the workspace, what their results depend on, and
 * the cache key that names them. A read is cacheable only when every path it
 * shows is one the workspace tree tracks: the tree's hashes are then a
 * complete account of what the result was made from.
 *
 * - an editor `view` of a file: depends on that file;
 * - `list_files`: depends on the listed folder;
 * - `search_files`: depends on the searched folder or file.
 *
 * An editor `view` of a folder is not cached: it lists git-ignored entries,
 * which the tree does not track, so a change there would go unnoticed.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { EDITOR_TOOL_NAME, LIST_TOOL_NAME, SEARCH_TOOL_NAME } from '../../protocol/tool-names.ts';
import { cacheKey, type Dependency, type PathInfo } from '../../../cache/index.ts';

/** A read-only call, named for the cache. */
export interface ReadOnlyCall {
  readonly key: string;
  readonly deps: readonly Dependency[];
  /** For messages: "view src/a.ts". */
  readonly label: string;
  /**
   * Workspace-relative paths a result of this call shows, parsed from its
   * text; a result showing an untracked path is not cached.
   */
  shownPaths(result: string): string[];
}

/** Depth `list_files` uses when none is given (so `{}` and `{ depth: 2 }` share a key). */
const LIST_DEFAULT_DEPTH = 2;
/** A search result line: `path:line: text`. */
const SEARCH_LINE = /^(.+?):(\d+): /;

type Input = Record<string, unknown>;

/** `path` relative to `cwd` with `/`, `''` for the root; `undefined` outside it. */
export function workspacePath(cwd: string, path: string): string | undefined {
  const rel = relative(cwd, resolve(cwd, path));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

function join(folder: string, child: string): string {
  return folder === '' ? child : `${folder}/${child}`;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * The read-only call `toolName(input)` describes, or `undefined` when it
 * writes, runs something, or reads what cannot be tracked.
 * @param info the tree's view of a workspace path (`TokenCache.info`).
 */
export function readOnlyCall(
  toolName: string,
  input: unknown,
  cwd: string,
  info: (path: string) => PathInfo | undefined,
): ReadOnlyCall | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  const i = input as Input;
  if (toolName === EDITOR_TOOL_NAME) {
    const path = str(i['path']);
    if (i['command'] !== 'view' || path === undefined) return undefined;
    const rel = workspacePath(cwd, path);
    if (rel === undefined || info(rel)?.kind !== 'file') return undefined;
    return {
      key: cacheKey(EDITOR_TOOL_NAME, { command: 'view', path: rel, view_range: i['view_range'] }),
      deps: [{ path: rel, kind: 'file' }],
      label: `view ${rel}`,
      shownPaths: () => [rel],
    };
  }
  if (toolName === LIST_TOOL_NAME) {
    const rel = workspacePath(cwd, str(i['path']) ?? '.');
    if (rel === undefined || info(rel)?.kind !== 'folder') return undefined;
    return {
      key: cacheKey(LIST_TOOL_NAME, {
        path: rel,
        depth: i['depth'] ?? LIST_DEFAULT_DEPTH,
        include_hidden: i['include_hidden'] === true,
      }),
      deps: [{ path: rel, kind: 'folder' }],
      label: `list ${rel || '.'}`,
      shownPaths: (result) =>
        result
          .split('\n')
          .filter((line) => line !== '' && !line.startsWith('[') && !line.endsWith(' is empty.'))
          .map((line) => join(rel, line.replace(/\/$/, ''))),
    };
  }
  if (toolName === SEARCH_TOOL_NAME) {
    const pattern = str(i['pattern']);
    const rel = workspacePath(cwd, str(i['path']) ?? '.');
    if (pattern === undefined || rel === undefined) return undefined;
    const kind = info(rel)?.kind;
    if (kind !== 'file' && kind !== 'folder') return undefined;
    return {
      key: cacheKey(SEARCH_TOOL_NAME, {
        pattern,
        path: rel,
        glob: i['glob'],
        case_sensitive: i['case_sensitive'] === true,
        max_results: i['max_results'],
      }),
      deps: [{ path: rel, kind }],
      label: `search /${pattern}/ in ${rel || '.'}`,
      shownPaths: (result) =>
        result.split('\n').flatMap((line) => {
          const match = SEARCH_LINE.exec(line);
          return match === null ? [] : [kind === 'file' ? rel : join(rel, match[1] ?? '')];
        }),
    };
  }
  return undefined;
}

/** Editor commands that change a file: the cache is told at once, not when the watcher notices. */
export function writtenPath(toolName: string, input: unknown, cwd: string): string | undefined {
  if (toolName !== EDITOR_TOOL_NAME || input === null || typeof input !== 'object')
    return undefined;
  const i = input as Input;
  const path = str(i['path']);
  if (path === undefined || !['create', 'str_replace', 'insert'].includes(String(i['command'])))
    return undefined;
  return workspacePath(cwd, path);
}
