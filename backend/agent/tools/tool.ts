/**
 * The shape every agent tool has: an API definition (Anthropic's own shape
 * where one exists), a zod schema for its input, and a run function. Input is
 * validated here, so a malformed call from the model becomes an `is_error`
 * result naming the problem, and the loop goes on.
 */
import type { ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import type { FinishReport } from '../../protocol/agent.ts';
import type { ShellSession } from './shell-session.ts';

export interface ToolResult {
  /** Text for the model. */
  content: string;
  isError: boolean;
}

export interface ToolLimits {
  /** A command running longer is interrupted. */
  commandTimeoutMs: number;
  /** Longer output is cut in the middle, with a note. */
  maxOutputChars: number;
}

/** What a tool may use while it runs. */
export interface ToolContext {
  /** The agent's working folder, symlinks resolved; every path is confined to it. */
  readonly workDir: string;
  /** Aborted when the user stops the agent or pauses it with "interrupt". */
  readonly signal: AbortSignal;
  readonly limits: ToolLimits;
  /** The agent's shell in its visible terminal, started on first use. */
  shell(): Promise<ShellSession>;
  /** Replaces the shell with a fresh one (bash `restart`, a shell given up); the new one prints `notice` first. */
  restartShell(notice?: string): Promise<ShellSession>;
  /** Asks the user and waits for the answer. */
  askUser(question: string): Promise<string>;
  /**
   * Records the agent's closing report (the `finish` tool); for a report
   * with a question, waits for the user's answer and returns it, else null.
   */
  finish?(report: FinishReport): Promise<string | null>;
}

export interface AgentTool {
  readonly name: string;
  readonly definition: ToolUnion;
  /** Validates `input` and runs; never throws for bad input, only returns an error result. */
  run(input: unknown, context: ToolContext): Promise<ToolResult>;
}

/** An error a tool reports to the model as `is_error` (bad path, no match…), as opposed to a bug. */
export class ToolInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolInputError';
  }
}

export function ok(content: string): ToolResult {
  return { content, isError: false };
}

export function fail(content: string): ToolResult {
  return { content, isError: true };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'input';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

export function defineTool<S extends z.ZodType>(spec: {
  name: string;
  definition: ToolUnion;
  schema: S;
  run: (input: z.output<S>, context: ToolContext) => Promise<ToolResult>;
}): AgentTool {
  return {
    name: spec.name,
    definition: spec.definition,
    async run(input, context) {
      const parsed = spec.schema.safeParse(input);
      if (!parsed.success)
        return fail(
          `Invalid input for ${spec.name}: ${describeIssues(parsed.error)}. Fix the input and call the tool again.`,
        );
      try {
        return await spec.run(parsed.data, context);
      } catch (error) {
        if (error instanceof ToolInputError) return fail(error.message);
        const code = (error as NodeJS.ErrnoException).code;
        if (typeof code === 'string' && /^E[A-Z]+$/.test(code))
          return fail(`${spec.name} failed: ${(error as Error).message}`);
        throw error;
      }
    },
  };
}
