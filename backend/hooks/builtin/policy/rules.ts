/**
 * The approval rules, as a table: what the gate looks for, whether it asks or
 * refuses, and why. The analysis (bash.ts, powershell.ts, commands.ts) names a
 * rule by id when it finds one; the same table is shown in Settings so the
 * user can see what asks and why.
 */

export type RuleDecision = 'ask' | 'deny';

export interface ApprovalRule {
  /** The command form, as a user would write it. */
  readonly what: string;
  readonly decision: RuleDecision;
  /** Said to the user (ask) or the model (deny), followed by `what`. */
  readonly why: string;
}

export const RULES = {
  rmRecursiveForce: { what: 'rm -rf', decision: 'ask', why: 'recursive forced delete' },
  findDelete: {
    what: 'find -delete, find -exec rm',
    decision: 'ask',
    why: 'deletes every file it finds',
  },
  shred: { what: 'shred', decision: 'ask', why: 'destroys file contents beyond recovery' },
  truncate: { what: 'truncate', decision: 'ask', why: 'cuts files to a size, losing the rest' },
  dd: { what: 'dd of=', decision: 'ask', why: 'overwrites a file block by block' },
  gitPush: { what: 'git push', decision: 'ask', why: 'publishes commits' },
  gitResetHard: { what: 'git reset --hard', decision: 'ask', why: 'discards uncommitted work' },
  gitClean: { what: 'git clean -f', decision: 'ask', why: 'deletes untracked files' },
  gitDiscard: {
    what: 'git checkout -- <paths>, git checkout -f, git restore',
    decision: 'ask',
    why: 'discards uncommitted changes',
  },
  gitStashDrop: { what: 'git stash drop/clear', decision: 'ask', why: 'deletes stashed work' },
  inlineDelete: {
    what: 'python -c, node -e, perl -e, ruby -e, php -r deleting files',
    decision: 'ask',
    why: 'inline code deletes files',
  },
  inlineShell: {
    what: 'python -c, node -e, perl -e, ruby -e, php -r running commands',
    decision: 'ask',
    why: 'inline code runs shell commands',
  },
  networkScript: {
    what: 'curl … | sh, sh <(curl …), iwr … | iex',
    decision: 'ask',
    why: 'runs a script downloaded from the network',
  },
  admin: {
    what: 'sudo, doas, Start-Process -Verb RunAs',
    decision: 'ask',
    why: 'runs as administrator',
  },
  removeItem: {
    what: 'Remove-Item -Recurse -Force (rm -r -fo)',
    decision: 'ask',
    why: 'recursive forced delete',
  },
  cmdTreeDelete: { what: 'rd /s, rmdir /s, del /s', decision: 'ask', why: 'deletes a folder tree' },
  diskDevice: { what: 'dd of=/dev/…', decision: 'deny', why: 'writes a disk device' },
  format: {
    what: 'mkfs, Format-Volume, Clear-Disk, format',
    decision: 'deny',
    why: 'formats a disk',
  },
  writesOutside: {
    what: 'cp, mv, rm, tee, sed -i, > … with a path outside the workspace',
    decision: 'ask',
    why: 'writes outside the workspace',
  },
  unknownCommand: {
    what: '$x …, $(…) … as the command',
    decision: 'ask',
    why: 'the command it runs is only known when it runs',
  },
  unknownCode: {
    what: 'eval, bash -c, python -c of text built from variables; a here-document fed to an interpreter',
    decision: 'ask',
    why: 'the code it runs cannot be checked',
  },
  unknownDirectory: {
    what: 'cd $dir followed by a write',
    decision: 'ask',
    why: 'writes in a folder only known when it runs',
  },
  unparsable: {
    what: 'a command that does not parse, is nested too deeply, or is over 100 KB',
    decision: 'ask',
    why: 'the command could not be understood',
  },
} as const satisfies Record<string, ApprovalRule>;

export type RuleId = keyof typeof RULES;

/** The table, in order, as shown in Settings. */
export function approvalRules(): ApprovalRule[] {
  return Object.values(RULES).map(({ what, decision, why }) => ({ what, decision, why }));
}
