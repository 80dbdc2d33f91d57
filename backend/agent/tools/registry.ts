/**
 * `agent/tools/` owns the tools an agent calls: bash in its real terminal,
 * the editor, search, list, ask_user and finish.
 *
 * The tools every agent has, in the order the model sees them (a stable order
 * keeps the cached prefix stable).
 */
import type { ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import { askUserTool } from './ask-user.ts';
import { bashTool } from './bash.ts';
import { editorTool } from './editor.ts';
import { finishTool } from './finish.ts';
import { listTool } from './list.ts';
import { searchTool } from './search.ts';
import { fail, type AgentTool, type ToolContext, type ToolResult } from './tool.ts';

export class ToolRegistry {
  readonly #tools: ReadonlyMap<string, AgentTool>;

  constructor(tools: readonly AgentTool[]) {
    this.#tools = new Map(tools.map((t) => [t.name, t]));
  }

  get definitions(): ToolUnion[] {
    return [...this.#tools.values()].map((t) => t.definition);
  }

  has(name: string): boolean {
    return this.#tools.has(name);
  }

  /** Runs the named tool; an unknown name is an error result, not an exception. */
  run(name: string, input: unknown, context: ToolContext): Promise<ToolResult> {
    const tool = this.#tools.get(name);
    if (!tool)
      return Promise.resolve(
        fail(
          `There is no tool named "${name}". Available tools: ${[...this.#tools.keys()].join(', ')}.`,
        ),
      );
    return tool.run(input, context);
  }
}

export function defaultTools(): ToolRegistry {
  return new ToolRegistry([bashTool, editorTool, listTool, searchTool, askUserTool, finishTool]);
}
