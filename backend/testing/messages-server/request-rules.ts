/**
 * Rules over a whole request, after every field has the right shape:
 * tool use pairing across turns, and the prompt caching limits. Each returns
 * the API's error message for the first problem, or `undefined`.
 */
import type {
  CacheControl,
  ContentBlock,
  InputMessage,
  MessageRole,
  ToolDefinition,
} from './types.ts';

/** The documented limit on `cache_control` breakpoints per request. */
export const MAX_CACHE_BREAKPOINTS = 4;

interface TurnBlock {
  readonly block: ContentBlock;
  readonly messageIndex: number;
  readonly blockIndex: number;
}

interface Turn {
  readonly role: MessageRole;
  readonly firstMessage: number;
  readonly blocks: TurnBlock[];
}

/** Consecutive same-role messages form one turn, as the API combines them. */
function combineTurns(messages: readonly InputMessage[]): Turn[] {
  const turns: Turn[] = [];
  messages.forEach((message, messageIndex) => {
    const blocks: TurnBlock[] =
      typeof message.content === 'string'
        ? [{ block: { type: 'text', text: message.content }, messageIndex, blockIndex: 0 }]
        : message.content.map((block, blockIndex) => ({ block, messageIndex, blockIndex }));
    const last = turns.at(-1);
    if (last && last.role === message.role) last.blocks.push(...blocks);
    else turns.push({ role: message.role, firstMessage: messageIndex, blocks });
  });
  return turns;
}

function toolUseIds(turn: Turn): Set<string> {
  const ids = turn.blocks
    .filter(({ block }) => block.type === 'tool_use')
    .map(({ block }) => String(block['id']));
  return new Set(ids);
}

/** Tool results count only as the leading blocks of the user turn (tool use docs). */
function leadingToolResultIds(turn: Turn): Set<string> {
  const ids = new Set<string>();
  if (turn.role !== 'user') return ids;
  for (const { block } of turn.blocks) {
    if (block.type !== 'tool_result') break;
    ids.add(String(block['tool_use_id']));
  }
  return ids;
}

/** Every `tool_use` is answered, first thing, in the next turn; every `tool_result` answers one. */
export function conversationProblem(messages: readonly InputMessage[]): string | undefined {
  const turns = combineTurns(messages);
  const seen = new Set<string>();
  for (const [turnIndex, turn] of turns.entries()) {
    const previous = turnIndex > 0 ? turns[turnIndex - 1] : undefined;
    const asked = previous?.role === 'assistant' ? toolUseIds(previous) : new Set<string>();
    for (const { block, messageIndex, blockIndex } of turn.blocks) {
      const at = `messages.${messageIndex}.content.${blockIndex}`;
      if (block.type === 'tool_use') {
        const id = String(block['id']);
        if (seen.has(id)) return `${at}: \`tool_use\` ids must be unique`;
        seen.add(id);
      }
      const answered = String(block['tool_use_id']);
      if (block.type === 'tool_result' && !asked.has(answered)) {
        return (
          `${at}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${answered}. ` +
          'Each `tool_result` block must have a corresponding `tool_use` block in the previous message.'
        );
      }
    }
    const next = turns[turnIndex + 1];
    if (turn.role !== 'assistant' || !next) continue;
    const answeredNext = leadingToolResultIds(next);
    const unanswered = [...toolUseIds(turn)].filter((id) => !answeredNext.has(id));
    if (unanswered.length > 0) {
      return (
        `messages.${turn.firstMessage}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ` +
        `${unanswered.join(', ')}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`
      );
    }
  }
  return undefined;
}

function markerOf(value: unknown): CacheControl | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const marker = (value as { cache_control?: unknown }).cache_control;
  return typeof marker === 'object' && marker !== null ? (marker as CacheControl) : undefined;
}

/** Breakpoints in prompt order: tools → system → messages (nested tool result blocks included). */
function cacheMarkers(
  tools: readonly ToolDefinition[] | undefined,
  system: string | readonly ContentBlock[] | undefined,
  messages: readonly InputMessage[],
): CacheControl[] {
  const markers: CacheControl[] = [];
  const take = (value: unknown): void => {
    const marker = markerOf(value);
    if (marker) markers.push(marker);
  };
  for (const tool of tools ?? []) take(tool);
  if (Array.isArray(system)) for (const block of system) take(block);
  for (const message of messages) {
    if (typeof message.content === 'string') continue;
    for (const block of message.content) {
      take(block);
      if (block.type === 'tool_result' && Array.isArray(block['content'])) {
        for (const nested of block['content'] as unknown[]) take(nested);
      }
    }
  }
  return markers;
}

/** At most 4 breakpoints (the top-level one takes a slot); 1-hour entries before 5-minute ones. */
export function cacheBreakpointProblem(
  tools: readonly ToolDefinition[] | undefined,
  system: string | readonly ContentBlock[] | undefined,
  messages: readonly InputMessage[],
  topLevel: CacheControl | undefined,
): string | undefined {
  const markers = cacheMarkers(tools, system, messages);
  if (topLevel) markers.push(topLevel);
  if (markers.length > MAX_CACHE_BREAKPOINTS) {
    return `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${markers.length}.`;
  }
  let sawFiveMinutes = false;
  for (const marker of markers) {
    if ((marker.ttl ?? '5m') === '5m') sawFiveMinutes = true;
    else if (sawFiveMinutes) {
      return "cache_control: a ttl='1h' cache_control block must not come after a ttl='5m' cache_control block";
    }
  }
  return undefined;
}
