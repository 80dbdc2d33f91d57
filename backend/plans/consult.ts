/**
 * A plan's consulting conversation: the reviewer or the planner reads the
 * repository through read-only tools (repo-tools.ts) and ends by calling
 * its one answering tool (`submit_review`, `answer_question`), whose input
 * a zod schema checks; a malformed answer goes back to the model as a tool
 * error. It reaches the model the way agents do (the runtime's client and
 * alias routing, with fallback, through `runModelTurn`), and is bounded in
 * turns and by the caller's signal. Nothing here writes to the repository.
 */
import type {
  MessageParam,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import type { z } from 'zod';
import { runModelTurn } from '../agent/model-turn.ts';
import { costUsd } from '../provider/models.ts';
import type { ModelClient } from '../provider/router.ts';
import type { RepoTool } from './repo-tools.ts';

/** Tool turns before a conversation that never answers is given up. */
export const MAX_CONSULT_TURNS = 24;
/** An answer fits well within this. */
const MAX_TOKENS = 8_192;
/** Stream attempts per turn, as agents have (model-turn.ts). */
const STREAM_ATTEMPTS = 3;
const SDK_ATTEMPTS = 3;

export interface ConsultRequest<T> {
  client: ModelClient;
  /** An alias (`reviewer`, `architect`) or a concrete model. */
  model: string;
  system: string;
  /** The persona block (its Markdown), in the system prompt after the base. */
  persona?: string | undefined;
  prompt: string;
  tools: RepoTool[];
  answer: { definition: Tool; schema: z.ZodType<T> };
  signal: AbortSignal;
  maxTurns?: number;
}

export interface ConsultResult<T> {
  /** Null when the model never gave a valid answer. */
  value: T | null;
  /** Why there is no value. */
  failure: string | null;
  costUsd: number;
  /** The model that answered last (after any fallback). */
  model: string;
}

export async function consult<T>(request: ConsultRequest<T>): Promise<ConsultResult<T>> {
  const answerName = request.answer.definition.name;
  const byName = new Map(request.tools.map((t) => [t.definition.name, t]));
  const definitions = [...request.tools.map((t) => t.definition), request.answer.definition];
  const messages: MessageParam[] = [{ role: 'user', content: request.prompt }];
  let spent = 0;
  let model = request.model;
  let nudged = false;
  const result = (value: T | null, failure: string | null): ConsultResult<T> => ({
    value,
    failure,
    costUsd: spent,
    model,
  });
  for (let turn = 0; turn < (request.maxTurns ?? MAX_CONSULT_TURNS); turn++) {
    let reply;
    try {
      reply = await runModelTurn({
        client: request.client,
        spec: {
          model: request.model,
          maxTokens: MAX_TOKENS,
          tools: definitions,
          system: request.system,
          persona: request.persona,
          messages,
        },
        signal: request.signal,
        maxAttempts: STREAM_ATTEMPTS,
        retryDelayMs: (attempt) => 1_000 * attempt,
        sdkAttempts: SDK_ATTEMPTS,
        onTextDelta: () => undefined,
        onToolUse: () => undefined,
        onDiscard: () => undefined,
        onRetry: () => undefined,
        recordUsage: (usage, usedModel) => {
          spent += costUsd(usedModel, usage);
          model = usedModel;
        },
      });
    } catch (error) {
      return result(null, request.signal.aborted ? 'Stopped' : (error as Error).message);
    }
    messages.push({ role: 'assistant', content: reply.content });
    if (reply.toolUses.length === 0) {
      if (nudged) return result(null, `It ended without calling ${answerName}`);
      nudged = true;
      messages.push({ role: 'user', content: `Call ${answerName} now with your answer.` });
      continue;
    }
    const results: ToolResultBlockParam[] = [];
    for (const use of reply.toolUses) {
      if (use.name === answerName) {
        const parsed = request.answer.schema.safeParse(use.input);
        if (parsed.success) return result(parsed.data, null);
        results.push(toolResult(use.id, `Invalid ${answerName}: ${issues(parsed.error)}`, true));
        continue;
      }
      const tool = byName.get(use.name);
      const out = tool
        ? await tool.run(use.input)
        : {
            content: `No tool "${use.name}"; use ${[...byName.keys(), answerName].join(', ')}`,
            isError: true,
          };
      results.push(toolResult(use.id, out.content, out.isError));
    }
    messages.push({ role: 'user', content: results });
  }
  return result(null, `No ${answerName} within ${request.maxTurns ?? MAX_CONSULT_TURNS} turns`);
}

function toolResult(id: string, content: string, isError: boolean): ToolResultBlockParam {
  return { type: 'tool_result', tool_use_id: id, content, ...(isError && { is_error: true }) };
}

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
}
