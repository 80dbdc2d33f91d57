/**
 * Anthropic's bash tool (`bash_20250124`): the command runs in the agent's
 * own terminal, where the user watches it, and the model gets its output and
 * exit status.
 */
import { z } from 'zod';
import type { CommandResult } from './shell-session.ts';
import { defineTool, fail, ok, type ToolResult } from './tool.ts';
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

function describe(result: CommandResult, timeoutMs: number, maxChars: number): ToolResult {
  const truncated = truncateForModel(result.output, maxChars);
  const parts: string[] = [truncated.text.replace(/\n+$/, '') || '(no output)'];
  if (result.droppedChars > 0 && truncated.cutChars === 0) {
    parts.push(
      `[… about ${result.droppedChars} characters were cut from the middle of this output …]`,
    );
  }
  if (result.shellExited) {
    parts.push('The shell exited during this command; a new shell starts with the next command.');
    return fail(parts.join('\n\n'));
  }
  if (result.timedOut) {
    parts.push(
      `The command did not finish within ${Math.round(timeoutMs / 1000)} s and was interrupted with Ctrl-C.` +
        (result.exitCode === null ? ' Its exit status is unknown.' : ''),
    );
    return fail(parts.join('\n\n'));
  }
  if (result.interrupted) {
    parts.push('The command was interrupted by the user.');
    return fail(parts.join('\n\n'));
  }
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
    let shell = await context.shell();
    if (!shell.alive) shell = await context.restartShell();
    const result = await shell.run(input.command ?? '', {
      timeoutMs: context.limits.commandTimeoutMs,
      signal: context.signal,
    });
    return describe(result, context.limits.commandTimeoutMs, context.limits.maxOutputChars);
  },
});
