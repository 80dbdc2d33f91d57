/**
 * Anthropic's bash tool (`bash_20250124`): the command runs in the agent's
 * own terminal, where the user watches it, and the model gets its output and
 * exit status.
 */
import { z } from 'zod';
import type { ShellLoss } from './shell-escalation.ts';
import { shellStartFailure, type CommandResult, type ShellSession } from './shell-session.ts';
import { defineTool, fail, ok, type ToolContext, type ToolResult } from './tool.ts';
import { truncateForModel } from './truncate.ts';
import { BASH_TOOL_NAME } from '../../protocol/tool-names.ts';

const BashInput = z
  .object({
    command: z.string().optional(),
    restart: z.boolean().optional(),
  })
  .refine(
    (input) =>
      input.restart === true || (input.command !== undefined && input.command.trim() !== ''),
    {
      message: 'give a non-empty "command" to run, or "restart": true to restart the shell',
    },
  );

/** Why a shell was given up, in words for the model and the developer. */
const LOSS_TEXT: Record<ShellLoss, string> = {
  replaced: 'The shell was replaced by another program (exec), so its shell integration was lost.',
  'no-prompt': 'The shell lost its integration: it no longer reported when commands end.',
  stuck: 'The shell itself stopped responding.',
};

/** Whole seconds, or tenths under ten seconds (a short timeout is not "0 s"). */
function seconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10);
}

/** What happened to a command that did not end by itself: said as it was, never "interrupted" for a kill. */
function ending(result: CommandResult, timeoutMs: number): string | null {
  const why = result.timedOut
    ? `The command did not finish within ${seconds(timeoutMs)} s`
    : result.interrupted
      ? 'The command was interrupted by the user'
      : null;
  if (!why) return null;
  const status = result.exitCode === null ? ' Its exit status is unknown.' : '';
  if (result.killedWith)
    return `${why}; it ignored Ctrl-C and was killed (${result.killedWith}).${status}`;
  if (result.shellLost) return `${why}; Ctrl-C did not end it.`;
  return result.exitCode === null
    ? `${why} and was sent Ctrl-C.${status}`
    : `${why} and was interrupted with Ctrl-C (exit code ${result.exitCode}).`;
}

async function describe(
  result: CommandResult,
  context: ToolContext,
  restart: (notice: string) => Promise<string>,
): Promise<ToolResult> {
  const { commandTimeoutMs, maxOutputChars } = context.limits;
  const truncated = truncateForModel(result.output, maxOutputChars);
  // Trailing blanks carry nothing; zsh's PROMPT_SP leaves a line of them after output without a final newline.
  const parts: string[] = [truncated.text.trimEnd() || '(no output)'];
  if (result.droppedChars > 0 && truncated.cutChars === 0) {
    parts.push(
      `[… about ${result.droppedChars} characters were cut from the middle of this output …]`,
    );
  }
  if (result.shellExited) {
    parts.push('The shell exited during this command; a new shell starts with the next command.');
    return fail(parts.join('\n\n'));
  }
  const end = ending(result, commandTimeoutMs);
  if (end) parts.push(end);
  if (result.shellLost) {
    const loss = LOSS_TEXT[result.shellLost];
    parts.push(`${loss} ${await restart(loss)}`);
  }
  if (end || result.shellLost) return fail(parts.join('\n\n'));
  if (result.exitCode === null) parts.push('Exit status unknown: the shell did not report it.');
  else if (result.exitCode !== 0) parts.push(`Exit code: ${result.exitCode}`);
  return ok(parts.join('\n\n'));
}

export const bashTool = defineTool({
  name: BASH_TOOL_NAME,
  definition: { type: 'bash_20250124', name: 'bash' },
  schema: BashInput,
  async run(input, context) {
    if (input.restart) {
      await context.restartShell();
      return ok('The shell was restarted.');
    }
    let shell: ShellSession;
    try {
      shell = await context.shell();
    } catch (error) {
      // Interrupted or stopped by the user while the shell started: the command never ran.
      if (context.signal.aborted)
        return fail(
          'The command was interrupted by the user before the shell was ready; it did not run.',
        );
      return fail(`${shellStartFailure(error)}. It is tried again with the next command.`);
    }
    if (!shell.alive) shell = await context.restartShell();
    const result = await shell.run(input.command ?? '', {
      timeoutMs: context.limits.commandTimeoutMs,
      signal: context.signal,
    });
    // A given-up shell is replaced at once, so the developer sees a working one and the next command runs.
    return describe(result, context, async (loss) => {
      try {
        await context.restartShell(`Troika restarted this shell. ${loss}`);
        return `The shell was restarted in ${context.workDir}; environment variables and shell state set earlier are gone.`;
      } catch (error) {
        return `Restarting the shell failed (${error instanceof Error ? error.message : String(error)}); it is started again with the next command.`;
      }
    });
  },
});
