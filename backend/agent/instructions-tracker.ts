/**
 * One agent's instruction files across its turns: read before each model
 * request (a few small files), announced when first read and whenever the
 * block changes. A change alters the cached system prompt prefix, so it is
 * announced as one (`changed: true`): the next request writes the cache anew.
 */
import { loadInstructions, type Instructions, type InstructionsOptions } from './instructions.ts';
import type { AgentWorkspace } from './workspace.ts';

export interface InstructionsReport {
  readonly files: Array<{
    path: string;
    kind: string;
    tokens: number;
    importedBy?: string;
  }>;
  readonly tokens: number;
  readonly notes: string[];
  /** False for the first reading; true when a file changed since the last turn. */
  readonly changed: boolean;
}

export class InstructionsTracker {
  readonly #options: InstructionsOptions;
  readonly #onReport: (report: InstructionsReport) => void;
  #last: Instructions | undefined;

  constructor(options: InstructionsOptions, onReport: (report: InstructionsReport) => void) {
    this.#options = options;
    this.#onReport = onReport;
  }

  /** The block for the next request (`''` for none), re-read from disk. */
  async block(): Promise<string> {
    const current = await loadInstructions(this.#options);
    const previous = this.#last;
    this.#last = current;
    const first = previous === undefined;
    const worthSaying = current.files.length > 0 || current.notes.length > 0;
    if ((first && worthSaying) || (!first && previous.block !== current.block)) {
      this.#onReport({
        files: current.files.map((file) => ({
          path: file.path,
          kind: file.kind,
          tokens: file.tokens,
          ...(file.importedBy !== undefined && { importedBy: file.importedBy }),
        })),
        tokens: current.tokens,
        notes: [...current.notes],
        changed: !first,
      });
    }
    return current.block;
  }
}

/** The tracker for an agent's workspace: its worktree (or repository, or folder) down to its working folder. */
export function instructionsTracker(
  workspace: AgentWorkspace,
  homeDir: string | undefined,
  onReport: (report: InstructionsReport) => void,
): InstructionsTracker {
  return new InstructionsTracker(
    {
      workDir: workspace.workDir,
      root: workspace.worktree ?? workspace.repoRoot ?? workspace.workDir,
      // A worktree lacks the git-ignored CLAUDE.local.md: it is read from the user's checkout.
      ...(workspace.worktree !== null &&
        workspace.repoRoot !== null && { localRoot: workspace.repoRoot }),
      ...(homeDir !== undefined && { homeDir }),
    },
    onReport,
  );
}
