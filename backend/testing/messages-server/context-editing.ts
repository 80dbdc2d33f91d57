/**
 * Anthropic's server-side context editing, tool-result clearing strategy
 * (`clear_tool_uses_20250919`), emulated so a benchmark can bill a session
 * against it. It is applied to a request before prompt caching and before the
 * model sees it, as the API does ("applied server-side before the prompt
 * reaches Claude"; the client keeps sending its full history).
 *
 * Documented defaults (https://platform.claude.com/docs/en/build-with-claude/context-editing,
 * and the SDKs' `BetaClearToolUses20250919Edit`): `trigger` 100,000 input
 * tokens, `keep` the 3 most recent tool uses, `clear_at_least` none,
 * `exclude_tools` none, `clear_tool_inputs` false. When the prompt is over the
 * trigger, the oldest tool results are cleared in order, all but the kept
 * ones; "clearing invalidates the cached prompt prefix", which the prompt
 * cache emulation shows because the prefix bytes change.
 */
import { promptBlocks, promptTokens } from './prompt-blocks.ts';
import { contentBlockTokens } from './tokens.ts';
import type { ContentBlock, InputMessage, MessagesRequest } from './types.ts';

export interface ContextEditingSettings {
  readonly triggerTokens: number;
  readonly keepToolUses: number;
  /** Tokens a clearing must free, else nothing is cleared (0: no minimum). */
  readonly clearAtLeastTokens: number;
  readonly excludeTools: readonly string[];
}

export const CONTEXT_EDITING_DEFAULTS: ContextEditingSettings = {
  triggerTokens: 100_000,
  keepToolUses: 3,
  clearAtLeastTokens: 0,
  excludeTools: [],
};

/** What the model sees in place of a result the API cleared. */
export const CONTEXT_EDITING_PLACEHOLDER = '[Tool result cleared by context management]';

/** `request` as the model sees it under context editing; the same object when nothing is cleared. */
export function applyContextEditing(
  request: MessagesRequest,
  settings: ContextEditingSettings = CONTEXT_EDITING_DEFAULTS,
): MessagesRequest {
  if (promptTokens(promptBlocks(request)) <= settings.triggerTokens) return request;
  const names = new Map<string, string>();
  const results: Array<{ id: string; tokens: number }> = [];
  for (const message of request.messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      if (block.type === 'tool_use') names.set(String(block['id']), String(block['name']));
      if (block.type === 'tool_result') {
        const id = String(block['tool_use_id']);
        results.push({ id, tokens: contentBlockTokens(block) });
      }
    }
  }
  const clearable = results
    .slice(0, Math.max(0, results.length - settings.keepToolUses))
    .filter((r) => !settings.excludeTools.includes(names.get(r.id) ?? ''));
  const freed = clearable.reduce((sum, r) => sum + r.tokens, 0);
  if (clearable.length === 0 || freed < settings.clearAtLeastTokens) return request;
  const cleared = new Set(clearable.map((r) => r.id));
  const messages = request.messages.map((message): InputMessage => {
    if (typeof message.content === 'string') return message;
    const content = message.content.map((block): ContentBlock =>
      block.type === 'tool_result' && cleared.has(String(block['tool_use_id']))
        ? { ...block, content: CONTEXT_EDITING_PLACEHOLDER }
        : block,
    );
    return { ...message, content };
  });
  return { ...request, messages };
}
