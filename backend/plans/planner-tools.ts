/**
 * The planner agent's tools: it reads (the editor's `view`), searches
 * (`search_files`, by pattern and glob), lists (`list_files`) and hands in
 * its plan (`submit_plan`); it cannot write a file or run a command.
 */
import { editorTool } from '../agent/tools/editor.ts';
import { finishTool } from '../agent/tools/finish.ts';
import { listTool } from '../agent/tools/list.ts';
import { ToolRegistry } from '../agent/tools/registry.ts';
import { searchTool } from '../agent/tools/search.ts';
import { fail, type AgentTool } from '../agent/tools/tool.ts';
import { EDITOR_TOOL_NAME } from '../protocol/tool-names.ts';
import { SUBMIT_PLAN_TOOL_NAME, submitPlanTool, type SubmitPlanHooks } from './planner-tool.ts';

/** The editor with `view` alone: any other command is refused, nothing is written. */
export const readOnlyEditor: AgentTool = {
  name: EDITOR_TOOL_NAME,
  definition: editorTool.definition,
  run(input, context) {
    const command = (input as { command?: unknown } | null)?.command;
    if (command !== 'view')
      return Promise.resolve(
        fail(
          `You read only: "${String(command)}" is not allowed. Use "view" to read files; say what should change in your answer.`,
        ),
      );
    return editorTool.run(input, context);
  },
};

/** `hooks` null: the planning session is over (Troika restarted); the planner reads but cannot submit. */
export function plannerTools(hooks: SubmitPlanHooks | null, maxSubmissions?: number): ToolRegistry {
  return new ToolRegistry([
    readOnlyEditor,
    listTool,
    searchTool,
    hooks ? submitPlanTool(hooks, maxSubmissions) : closedSubmit,
    finishTool,
  ]);
}

const closedSubmit: AgentTool = {
  name: SUBMIT_PLAN_TOOL_NAME,
  definition: submitPlanTool({ accepted() {}, rejected() {} }).definition,
  run: () =>
    Promise.resolve(
      fail(
        'This planning session ended when Troika restarted: the plan cannot be submitted. The user proposes it again from the plan view.',
      ),
    ),
};
