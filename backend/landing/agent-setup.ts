/**
 * The repository's setup for each new agent worktree (the project file's
 * `setup`), its output streamed as `landing.output` events (gate `setup`)
 * under the agent's id. A failure is returned as a sentence: the agent
 * manager tells the agent, and the user sees it in the task.
 */
import { basename } from 'node:path';
import type { EventBus } from '../bus/events.ts';
import type { WorktreeSetup } from '../agent/workspace.ts';
import { projectFileIn } from './project-file.ts';
import { runSetup } from './setup.ts';

export function agentWorktreeSetup(events: EventBus): WorktreeSetup {
  return async (worktree, repoRoot) => {
    // Worktrees are named after their agent (see agent/workspace.ts).
    const agentId = basename(worktree);
    let project;
    try {
      project = await projectFileIn(worktree);
    } catch (error) {
      return (error as Error).message;
    }
    if (!project?.setup) return null;
    const result = await runSetup(worktree, repoRoot, project, (data) =>
      events.publish('landing.output', { runId: `setup-${agentId}`, agentId, gate: 'setup', data }),
    );
    events.publish('landing.progress', {
      runId: `setup-${agentId}`,
      agentId,
      step: 'setup',
      message: result.ok ? 'Worktree set up' : (result.error ?? 'Worktree setup failed'),
    });
    return result.ok ? null : result.error;
  };
}
