/**
 * The `redaction` built-in: secrets in tool results and user prompts are
 * replaced by `[REDACTED:<kind>]` before the model, the transcript, the cache
 * or the audit log see them. It fails closed: if it cannot run, the result is
 * withheld rather than passed on unredacted.
 */
import type { Redactor } from '../../redaction/redact.ts';
import type { Hook } from '../hook.ts';

export const REDACTION_HOOK_NAME = 'redaction';

function note(count: number, kinds: readonly string[], where: string): string {
  return `Hid ${count} secret${count === 1 ? '' : 's'} (${kinds.join(', ')}) in ${where}.`;
}

/** The redaction hook over `redactor` (which holds the registered values, such as the API key). */
export function redactionHook(redactor: Redactor): Hook {
  return {
    name: REDACTION_HOOK_NAME,
    onFailure: 'block',
    userPromptSubmit(event) {
      const { text, count, kinds } = redactor.scan(event.prompt);
      if (count === 0) return undefined;
      return { updatedPrompt: text, systemMessage: note(count, kinds, 'the message') };
    },
    postToolUse(event) {
      const { text, count, kinds } = redactor.scan(event.toolResponse.content);
      if (count === 0) return undefined;
      return {
        updatedResponse: { ...event.toolResponse, content: text },
        systemMessage: note(count, kinds, `the ${event.toolName} result`),
      };
    },
  };
}
