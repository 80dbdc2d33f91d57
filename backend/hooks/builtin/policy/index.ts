/**
 * `hooks/builtin/policy/` owns which tool calls need a person's approval:
 * the approval policy, a built-in PreToolUse hook registered like every
 * other (see `order.ts`):
 * commands that destroy, publish, or run code fetched from the network, and
 * commands that write outside the workspace, are held as "ask".
 *
 * A command is read as its shell reads it (bash with unbash, PowerShell and
 * cmd with a small tokenizer), not matched as text: `bash -c "rm -rf …"`,
 * `/bin/rm`, `\rm`, `sudo`, `env` and `xargs` are seen through, and what
 * cannot be known before it runs (`$x -rf`, `eval "$code"`, a here-document
 * fed to python) asks instead of running. The rules are in rules.ts.
 */
import { BASH_TOOL_NAME } from '../../../protocol/tool-names.ts';
import type { Hook } from '../../hook.ts';
import type { ToolDecision } from '../../runner.ts';
import type { PreToolUseOutcome, ShellDialect } from '../../types.ts';
import { analysePosix } from './bash.ts';
import { analyseCmd, analysePowerShell } from './powershell.ts';
import { MAX_COMMAND_LENGTH, Scan, type PolicyDialect } from './scan.ts';

export { approvalRules, RULES, type ApprovalRule } from './rules.ts';
export type { PolicyDialect } from './scan.ts';

const ANALYSERS = { posix: analysePosix, powershell: analysePowerShell, cmd: analyseCmd };

function scan(command: string, workDir: string, dialect: PolicyDialect): Scan {
  const found = new Scan(workDir, ANALYSERS);
  if (command.length > MAX_COMMAND_LENGTH) found.hit('unparsable', 'over 100 KB');
  else ANALYSERS[dialect](command, found);
  return found;
}

/** What the gate decides for a shell command run in `workDir`; undefined lets it run. */
export function commandDecision(
  command: string,
  workDir: string,
  dialect: PolicyDialect = 'posix',
): ToolDecision | undefined {
  return scan(command, workDir, dialect).decision();
}

/**
 * Paths a shell command would write outside `workDir`: redirection targets,
 * and the paths of file-writing commands. It cannot see through scripts or
 * most variables, which is why the workspace is also a worktree.
 */
export function writesOutside(
  command: string,
  workDir: string,
  dialect: PolicyDialect = 'posix',
): string[] {
  return scan(command, workDir, dialect).outside;
}

/** fish is read with the POSIX analyser: its commands, wrappers and paths look alike, and what unbash cannot parse asks. */
function policyDialectOf(dialect: ShellDialect | undefined): PolicyDialect {
  return dialect === 'powershell' ? 'powershell' : 'posix';
}

function outcomeOf(decision: ToolDecision | undefined): PreToolUseOutcome | undefined {
  if (decision === undefined) return undefined;
  if (decision.action === 'deny' || decision.action === 'ask')
    return { decision: decision.action, reason: decision.reason };
  return undefined;
}

/**
 * The policy as a built-in PreToolUse hook, first in the order. It fails
 * closed: a policy that throws denies the call, for a broken policy must not
 * let everything through. The shell dialect comes from the agent's session.
 */
export function policyHook(): Hook {
  return {
    name: 'policy',
    onFailure: 'block',
    preToolUse(event, context) {
      if (event.toolName !== BASH_TOOL_NAME) return undefined;
      const command = (event.toolInput as { command?: unknown } | null)?.command;
      if (typeof command !== 'string') return undefined;
      const { cwd, shellDialect } = context.session;
      return outcomeOf(commandDecision(command, cwd, policyDialectOf(shellDialect)));
    },
  };
}
