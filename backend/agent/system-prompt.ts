/**
 * The base system prompt. It must stay byte-identical for an agent's whole
 * life (it is in the cached prefix), so it holds nothing that changes per
 * turn: no time, no counters.
 */

import type { ShellIdentity } from './tools/shell-integration.ts';

export interface SystemPromptInput {
  workDir: string;
  branch: string | null;
  commandTimeoutMs: number;
  /** The shell the bash tool types into, and the OS: fixed for the agent's life. */
  shell: ShellIdentity;
  /** The repository's and the user's instruction files (CLAUDE.md, AGENTS.md; see instructions.ts), last. */
  instructions?: string | undefined;
}

/** What the model must know to write commands for the shell, beyond its name. */
const SYNTAX_NOTES: Record<string, string> = {
  fish: ' Write fish syntax: `set -x NAME value` instead of `export`, `(cmd)` for command substitution, `; and` / `; or` or `&&` / `||`, no heredocs.',
  PowerShell: ' Write PowerShell syntax (cmdlets, `$env:NAME = "value"`, `;` between statements).',
  sh: ' Write plain POSIX sh: no bash-only syntax such as `[[ ]]` or arrays.',
};

/** One paragraph on the shell, naming it: the tool is called bash whatever shell it really runs. */
export function shellParagraph(shell: ShellIdentity, commandTimeoutMs: number): string {
  const called =
    shell.name === 'bash' ? '' : ` (the tool is named bash, but the shell is ${shell.name})`;
  return (
    `The bash tool types your command into a real interactive ${shell.name} shell on ${shell.os} that the developer sees${called}: the working directory and environment persist between commands.` +
    (SYNTAX_NOTES[shell.name] ?? '') +
    ` Avoid interactive programs (editors, pagers, prompts); use non-interactive flags. A command running longer than ${Math.round(commandTimeoutMs / 1000)} seconds is stopped.`
  );
}

export function baseSystemPrompt(input: SystemPromptInput): string {
  const where = input.branch
    ? `${input.workDir}, a git worktree on your own branch "${input.branch}". Commit your work there when it is complete; never push.`
    : `${input.workDir}.`;
  return [
    'You are a coding agent in Troika. A developer watches your terminal and your messages, and may pause you, send you messages, or approve and deny risky commands.',
    `Your workspace is ${where} Every file path you use must be inside it; paths may be absolute or relative to it.`,
    shellParagraph(input.shell, input.commandTimeoutMs),
    'Use str_replace_based_edit_tool to view, create and edit files, list_files to see a folder, and search_files to find text.',
    'Messages from the developer can arrive while you work, next to tool results: follow them. Use ask_user only when you cannot continue without a decision only the developer can make.',
    "End your work by calling the finish tool with a report: COMPLETE when the task is done (what you changed and how you checked it), NEEDS_CLARIFICATION with a question when you need a decision from the developer, BLOCKED with the blockers and a question when something outside your control stops you. For the last two, the developer's answer comes back as the tool result and you continue.",
    ...(input.instructions ? [input.instructions] : []),
  ].join('\n\n');
}
