/**
 * The names of the agent's tools, as the model calls them and as transcripts
 * and the UI show them. A leaf module: hooks, the UI and the tools themselves
 * name a tool from here, so nothing needs the tools' implementations to know
 * what a call is.
 */
export const BASH_TOOL_NAME = 'bash';
export const EDITOR_TOOL_NAME = 'str_replace_based_edit_tool';
export const SEARCH_TOOL_NAME = 'search_files';
export const LIST_TOOL_NAME = 'list_files';
export const FINISH_TOOL_NAME = 'finish';
export const ASK_USER_TOOL_NAME = 'ask_user';
/** A plan's roles hand in their result through these (backend/plans/): a persona may list them. */
export const SUBMIT_PLAN_TOOL_NAME = 'submit_plan';
export const SUBMIT_REVIEW_TOOL_NAME = 'submit_review';
export const ANSWER_QUESTION_TOOL_NAME = 'answer_question';
