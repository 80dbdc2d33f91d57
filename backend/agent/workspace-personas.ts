/**
 * The personas each workspace sees: the app-wide ones (built-ins,
 * `~/.claude/agents`, Troika's folder) plus the workspace's own Claude Code
 * subagents in `.claude/agents/`, which take precedence (see
 * `personas/load.ts`). Loaded once per project folder, when its first agent
 * starts, like the app-wide ones at start-up.
 */
import { loadPersonas, type LoadedPersonas, type LoadPersonasOptions } from '../personas/load.ts';
import { claudeAgentsDir } from '../personas/load.ts';
import { projectRootOf } from '../hooks/builtin/policy/claude-permissions.ts';

export class WorkspacePersonas {
  readonly #base: LoadPersonasOptions;
  readonly #loaded = new Map<string, Promise<LoadedPersonas>>();
  readonly #ready = new Map<string, LoadedPersonas>();
  /**
   * Working folder → its project root, found once: every hook call asks, and
   * the walk up the tree (a stat per level) was a fifth of the hooks' time.
   * An agent's folder keeps its repository, as the policy assumes too.
   */
  readonly #projects = new Map<string, string>();

  /** `base`: where the app-wide personas are (the same options the app loads them with). */
  constructor(base: LoadPersonasOptions) {
    this.#base = base;
  }

  /** Loads the personas for `workDir`'s project, once; a later call gets the same result. */
  ensure(workDir: string): Promise<LoadedPersonas> {
    const project = this.#project(workDir);
    let loading = this.#loaded.get(project);
    if (loading === undefined) {
      loading = loadPersonas({ ...this.#base, workspaceDir: project }).then((loaded) => {
        this.#ready.set(project, loaded);
        return loaded;
      });
      this.#loaded.set(project, loading);
    }
    return loading;
  }

  /** What {@link ensure} loaded for `workDir`, once it has. */
  get(workDir: string): LoadedPersonas | undefined {
    return this.#ready.get(this.#project(workDir));
  }

  /** The errors of files in `workDir`'s own `.claude/agents` (the app-wide ones are told already). */
  workspaceErrors(workDir: string): readonly Error[] {
    const folder = claudeAgentsDir(this.#project(workDir));
    return (this.get(workDir)?.errors ?? []).filter((error) => error.file.startsWith(folder));
  }

  #project(workDir: string): string {
    let project = this.#projects.get(workDir);
    if (project === undefined) {
      project = projectRootOf(workDir);
      if (this.#projects.size >= 1_000) this.#projects.clear();
      this.#projects.set(workDir, project);
    }
    return project;
  }
}
