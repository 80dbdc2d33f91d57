/**
 * Which stored agents were a plan's reviewers and answering planners
 * (`<dataDir>/plans/role-agents.txt`, one `id<TAB>tool` a line), so that
 * one of them run again after a restart (from History) keeps its
 * read-only tools, in the folder it read, instead of getting the usual
 * set; its answering tool then only says the session is over.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Tool } from '@anthropic-ai/sdk/resources/messages';
import type { ToolRegistry } from '../agent/tools/registry.ts';
import { answerQuestionTool } from './planner-answers.ts';
import { submitReviewTool } from './review-verdict.ts';
import { closedAnswerTool, roleTools } from './role-agent.ts';

const ANSWER_TOOLS: ReadonlyMap<string, Tool> = new Map(
  [submitReviewTool, answerQuestionTool].map((t) => [t.name, t]),
);

export class RoleAgentLog {
  readonly #file: string;
  readonly #tools = new Map<string, string>();

  constructor(file: string) {
    this.#file = file;
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      // No role agent yet.
    }
    for (const line of text.split('\n')) {
      const [id, tool] = line.split('\t');
      if (id && tool) this.#tools.set(id, tool);
    }
  }

  mark(agentId: string, tool: string): void {
    this.#tools.set(agentId, tool);
    mkdirSync(dirname(this.#file), { recursive: true });
    appendFileSync(this.#file, `${agentId}\t${tool}\n`);
  }

  /** The tools a stored role agent runs with again; undefined for any other agent. */
  toolsFor(agentId: string): ToolRegistry | undefined {
    const name = this.#tools.get(agentId);
    const definition = name === undefined ? undefined : ANSWER_TOOLS.get(name);
    return definition && roleTools(closedAnswerTool(definition));
  }
}
