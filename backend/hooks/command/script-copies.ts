/**
 * Hook scripts run from copies taken when the hooks file is loaded. Hook
 * commands run in the agent's workspace, so a script inside it (a project's
 * `.claude/hooks/check.sh`) could be rewritten by the very agent it guards.
 * When the hooks file is loaded, each script a command names (see
 * `script-word.ts`) is looked up next to the hooks file (for a
 * `.claude/settings.json`, in its project folder first, as Claude Code does)
 * and copied into a private folder of the data folder, named by its content
 * hash. A command whose script lies in the agent's workspace then runs the
 * copy: what the user loaded, whatever the agent did to the file since.
 */
import { createHash } from 'node:crypto';
import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { findScriptWord, type ScriptWord } from './script-word.ts';
import type { CommandHookSpec, HookSettings, ScriptCopy } from './spec.ts';

/** Where a relative script path is looked for at load: a `.claude` folder's project, then the hooks file's folder. */
export function scriptFolders(hooksFile: string): string[] {
  const dir = dirname(resolve(hooksFile));
  return basename(dir) === '.claude' ? [dirname(dir), dir] : [dir];
}

async function regularFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function findSource(
  word: ScriptWord,
  folders: readonly string[],
): Promise<string | undefined> {
  const candidates = isAbsolute(word.path) ? [word.path] : folders.map((f) => join(f, word.path));
  for (const candidate of candidates) if (await regularFile(candidate)) return candidate;
  return undefined;
}

/** Copies `source` to `copyDir/<sha256>/<name>`, owner-only, executable if the source is. */
async function copyScript(source: string, copyDir: string): Promise<string> {
  const [content, info] = await Promise.all([readFile(source), stat(source)]);
  const hash = createHash('sha256').update(content).digest('hex');
  const folder = join(copyDir, hash);
  const copy = join(folder, basename(source));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  await chmod(copyDir, 0o700);
  try {
    if (
      createHash('sha256')
        .update(await readFile(copy))
        .digest('hex') === hash
    )
      return copy;
  } catch {
    // Not copied yet.
  }
  await rm(copy, { force: true });
  await writeFile(copy, content, { mode: info.mode & 0o100 ? 0o500 : 0o400, flag: 'wx' });
  return copy;
}

/** Worth telling the user about when missing: it looks like a file, not an option's argument. */
function looksLikeFile(path: string): boolean {
  return /[/\\]/.test(path) || /\.[A-Za-z0-9]+$/.test(path);
}

/**
 * `settings` with each command's script copied into `copyDir`, and a notice
 * for every command that runs from a copy, or whose script was not found to
 * copy (it then runs from the workspace, as written).
 */
export async function copyHookScripts(
  settings: HookSettings,
  copyDir: string,
): Promise<HookSettings> {
  const folders = scriptFolders(settings.file);
  const notices: string[] = [...(settings.notices ?? [])];
  const warnings: string[] = [...settings.warnings];
  const copies = new Map<string, ScriptCopy | undefined>();
  for (const spec of settings.commands) {
    if (copies.has(spec.command)) continue;
    const word = findScriptWord(spec.command);
    copies.set(spec.command, undefined);
    if (word === undefined) continue;
    const source = await findSource(word, folders);
    if (source === undefined) {
      if (!isAbsolute(word.path) && looksLikeFile(word.path))
        notices.push(
          `${spec.origin}: ${word.path} is not in ${folders.join(' or ')}, so it runs from each agent's workspace, where the agent can rewrite it. Put it there to have Troika run a copy.`,
        );
      continue;
    }
    try {
      const copy = await copyScript(source, copyDir);
      copies.set(spec.command, { word, source, copy });
      notices.push(
        `${spec.origin}: ${word.path} runs from a copy of ${source} taken when the hooks file was loaded, so an agent editing it cannot change the hook; your own edits apply when Troika restarts.`,
      );
    } catch (error) {
      warnings.push(
        `${spec.origin}: ${source} could not be copied (${(error as Error).message}); it runs from the agent's workspace, where the agent can rewrite it.`,
      );
    }
  }
  const commands = settings.commands.map((spec): CommandHookSpec => {
    const scriptCopy = copies.get(spec.command);
    return scriptCopy === undefined ? spec : { ...spec, scriptCopy };
  });
  return { ...settings, commands, warnings, notices };
}

function shellQuote(path: string): string {
  if (process.platform === 'win32') return `"${path}"`;
  return `'${path.replaceAll("'", `'\\''`)}'`;
}

/** The command line to run in `cwd`: with the copy in place of the script when the script lies inside `cwd`. */
export function commandWithCopy(
  command: string,
  scriptCopy: ScriptCopy | undefined,
  cwd: string,
): string {
  if (scriptCopy === undefined) return command;
  const { word, copy } = scriptCopy;
  const target = resolve(cwd, word.path);
  const inside = relative(resolve(cwd), target);
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return command;
  return `${command.slice(0, word.start)}${shellQuote(copy)}${command.slice(word.end)}`;
}
