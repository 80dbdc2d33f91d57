/**
 * Which tool calls need a person's approval. A built-in PreToolUse hook:
 * commands that destroy, publish, or run code fetched from the network, and
 * commands that write outside the workspace, are held as "ask".
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { AgentHook, ToolDecision } from './pipeline.ts';
import { BASH_TOOL_NAME } from '../protocol/tool-names.ts';

export interface CommandRule {
  /** Matched against the whole command text. */
  readonly pattern: RegExp;
  readonly decision: 'ask' | 'deny';
  /** Said to the user (ask) or the model (deny). */
  readonly reason: string;
}

/** Start of a command: line start, or after ; & | ( ` $( , optionally behind sudo/env/time/xargs. */
const CMD = String.raw`(?:^|[;&|(\x60]|\$\()\s*(?:(?:sudo|env|time|nohup|xargs|command)\s+(?:-\S+\s+)*)*`;

export const DEFAULT_COMMAND_RULES: readonly CommandRule[] = [
  {
    pattern: new RegExp(
      String.raw`${CMD}rm\s+(?:[^;&|\n]*\s)?(?:-[a-zA-Z]*(?:r[a-zA-Z]*f|f[a-zA-Z]*r)[a-zA-Z]*|(?:-[a-zA-Z]*[rR][a-zA-Z]*\s+(?:[^;&|\n]*\s)?-[a-zA-Z]*f|-[a-zA-Z]*f[a-zA-Z]*\s+(?:[^;&|\n]*\s)?-[a-zA-Z]*[rR])|--recursive\s+(?:[^;&|\n]*\s)?--force|--force\s+(?:[^;&|\n]*\s)?--recursive)\b`,
      'm',
    ),
    decision: 'ask',
    reason: 'recursive forced delete (rm -rf)',
  },
  {
    pattern: new RegExp(String.raw`${CMD}git\s+(?:-\S+\s+(?:\S+\s+)?)*push\b`, 'm'),
    decision: 'ask',
    reason: 'publishes commits (git push)',
  },
  {
    pattern: /\b(?:curl|wget)\b[^\n]*\|\s*(?:sudo\s+)?(?:ba|z|da|k)?sh\b/m,
    decision: 'ask',
    reason: 'runs a script downloaded from the network (curl | sh)',
  },
  {
    pattern:
      /\b(?:ba|z)?sh\s+(?:-c\s+)?["']?\$\(\s*(?:curl|wget)\b|\bsource\s+<\(\s*(?:curl|wget)\b/m,
    decision: 'ask',
    reason: 'runs a script downloaded from the network',
  },
  {
    pattern: new RegExp(String.raw`${CMD}git\s+(?:reset\s+--hard|clean\s+-[a-zA-Z]*f)`, 'm'),
    decision: 'ask',
    reason: 'discards uncommitted work',
  },
  {
    pattern: new RegExp(String.raw`${CMD}sudo\b`, 'm'),
    decision: 'ask',
    reason: 'runs as administrator (sudo)',
  },
  {
    pattern: new RegExp(String.raw`${CMD}(?:mkfs(?:\.\w+)?|dd\s+[^\n]*\bof=/dev/)`, 'm'),
    decision: 'deny',
    reason: 'writes a disk device',
  },
];

/** Paths a command may write outside the workspace without asking: they store nothing. */
const HARMLESS_TARGETS = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/tty']);

/** Commands whose path arguments are written to. */
const WRITING_COMMANDS =
  /^(?:cp|mv|rm|rmdir|touch|mkdir|tee|ln|chmod|chown|install|rsync|truncate)$/;

function tokens(command: string): string[] {
  return (
    command
      .match(/"[^"]*"|'[^']*'|[^\s;&|<>()]+|>>?/g)
      ?.map((t) => t.replace(/^["']|["']$/g, '')) ?? []
  );
}

function outside(workDir: string, path: string): boolean {
  if (HARMLESS_TARGETS.has(path)) return false;
  const expanded = path.startsWith('~') ? `/__home__${path.slice(1)}` : path;
  const full = resolve(workDir, expanded);
  const rel = relative(workDir, full);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * Paths a shell command would write outside `workDir`: redirection targets,
 * and the path arguments of file-writing commands. A heuristic: it cannot see
 * through variables or scripts, which is why the workspace is also a worktree.
 */
export function writesOutside(command: string, workDir: string): string[] {
  const found: string[] = [];
  const parts = tokens(command);
  let writer = false;
  for (let i = 0; i < parts.length; i++) {
    const token = parts[i] as string;
    if (token === '>' || token === '>>') {
      const target = parts[i + 1];
      if (target && outside(workDir, target)) found.push(target);
      i++;
      continue;
    }
    if (WRITING_COMMANDS.test(token)) {
      writer = true;
      continue;
    }
    if (
      writer &&
      !token.startsWith('-') &&
      (token.startsWith('/') || token.startsWith('~') || token.includes('..')) &&
      outside(workDir, token)
    ) {
      found.push(token);
    }
  }
  return [...new Set(found)];
}

export function commandDecision(
  command: string,
  workDir: string,
  rules: readonly CommandRule[] = DEFAULT_COMMAND_RULES,
): ToolDecision | undefined {
  const matched = rules.filter((rule) => rule.pattern.test(command));
  const deny = matched.find((rule) => rule.decision === 'deny');
  if (deny) return { action: 'deny', reason: `Blocked by policy: ${deny.reason}` };
  const reasons = matched.map((rule) => rule.reason);
  const targets = writesOutside(command, workDir);
  if (targets.length > 0) reasons.push(`writes outside the workspace (${targets.join(', ')})`);
  return reasons.length > 0 ? { action: 'ask', reason: reasons.join('; ') } : undefined;
}

/** The policy as a PreToolUse hook. */
export function policyHook(rules: readonly CommandRule[] = DEFAULT_COMMAND_RULES): AgentHook {
  return {
    name: 'policy',
    beforeToolCall(context, call) {
      if (call.name !== BASH_TOOL_NAME) return undefined;
      const command = (call.input as { command?: unknown } | null)?.command;
      return typeof command === 'string'
        ? commandDecision(command, context.workDir, rules)
        : undefined;
    },
  };
}
