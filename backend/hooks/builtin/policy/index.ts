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
import { ClaudePermissions } from './claude-permissions.ts';
import { MAX_COMMAND_LENGTH, Scan, type PolicyDialect } from './scan.ts';

export { approvalRules, RULES, type ApprovalRule } from './rules.ts';
export {
  ClaudePermissions,
  loadPermissionRules,
  type PermissionRule,
} from './claude-permissions.ts';
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

export interface PolicyOptions {
  /**
   * Claude Code's permission rules (claude-permissions.ts). Default: the
   * project's `.claude/settings.json` and `settings.local.json`, without the
   * user's home settings.
   */
  readonly permissions?: ClaudePermissions | undefined;
}

/**
 * The policy as a built-in PreToolUse hook, first in the order. It fails
 * closed: a policy that throws denies the call, for a broken policy must not
 * let everything through. The shell dialect comes from the agent's session.
 * Claude Code's permission rules apply beside Troika's own: a deny rule
 * refuses, an ask rule asks, and an allow rule lets a command run that
 * Troika's rules would ask about, unless that command writes outside the
 * workspace or Troika's rules refuse it outright.
 */
export function policyHook(options: PolicyOptions = {}): Hook {
  const permissions = options.permissions ?? new ClaudePermissions();
  return {
    name: 'policy',
    onFailure: 'block',
    preToolUse(event, context) {
      const { cwd, shellDialect } = context.session;
      const rule = permissions.decide(cwd, event.toolName, event.toolInput);
      const where = rule && `${rule.rule} in ${rule.source}`;
      if (rule?.decision === 'deny') return { decision: 'deny', reason: `Denied by ${where}` };
      const command = (event.toolInput as { command?: unknown } | null)?.command;
      const dialect = policyDialectOf(shellDialect);
      const own =
        event.toolName === BASH_TOOL_NAME && typeof command === 'string'
          ? commandDecision(command, cwd, dialect)
          : undefined;
      if (own?.action === 'deny') return outcomeOf(own);
      if (rule?.decision === 'ask') {
        const also = own?.action === 'ask' ? `; ${own.reason}` : '';
        return { decision: 'ask', reason: `Asks by ${where}${also}`, firm: true };
      }
      const outside =
        own?.action === 'ask' && typeof command === 'string'
          ? writesOutside(command, cwd, dialect).length > 0
          : false;
      if (rule?.decision === 'allow' && own?.action === 'ask')
        return outside
          ? { ...outcomeOf(own), firm: true }
          : { decision: 'allow', reason: `Allowed by ${where}` };
      // A write outside the workspace is asked even when a hook allows the call.
      return outside ? { ...outcomeOf(own), firm: true } : outcomeOf(own);
    },
  };
}
