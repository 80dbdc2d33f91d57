/**
 * A persona: a role the agent takes for a task (architect, security, qa…),
 * written as a Markdown file whose YAML front matter says when it applies and
 * whose body is the role prompt.
 *
 * ```markdown
 * ---
 * name: security
 * description: Finds and fixes security weaknesses.
 * triggers:
 *   keywords: [security, xss, injection]
 *   globs: ["**\/auth/**"]
 *   tools: []
 * priority: 70
 * tools:
 *   deny: [bash]
 * ---
 * Work as an application security engineer…
 * ```
 */
import { z } from 'zod';

/** Longest persona name: it is shown in a tab and stored per agent. */
export const MAX_PERSONA_NAME_LENGTH = 40;
/**
 * A description may be long: Claude Code's subagent descriptions carry
 * `<example>` blocks that say when to use them. The file size bounds it; the
 * picker shows {@link Persona.summary}.
 */
export const MAX_DESCRIPTION_LENGTH = 32 * 1024;
/** The one line a picker shows: the description up to its first example, cut here. */
export const MAX_SUMMARY_LENGTH = 300;
/** Priorities are small integers that order ties; a wider range only invites an arms race. */
export const MAX_PRIORITY = 1000;

const TriggerList = z.array(z.string().trim().min(1, 'must not be empty')).default([]);
const ToolList = z.array(z.string().trim().min(1, 'must not be empty'));

/**
 * The front matter of a persona file. Troika's fields are checked strictly;
 * Claude Code's `tools` (a comma string or a list) and `model` are accepted;
 * any other key (`color`…) is kept and ignored with a note (see parse.ts).
 */
export const PersonaFrontMatter = z.looseObject({
  name: z
    .string()
    .regex(
      new RegExp(`^[a-z0-9][a-z0-9-]{0,${MAX_PERSONA_NAME_LENGTH - 1}}$`),
      `must be lower-case letters, digits and "-", at most ${MAX_PERSONA_NAME_LENGTH} characters`,
    ),
  description: z.string().trim().min(1, 'must not be empty').max(MAX_DESCRIPTION_LENGTH),
  triggers: z
    .strictObject({ keywords: TriggerList, globs: TriggerList, tools: TriggerList })
    .default({ keywords: [], globs: [], tools: [] }),
  priority: z.number().int().min(-MAX_PRIORITY).max(MAX_PRIORITY).default(0),
  tools: z
    .union([
      z.strictObject({ allow: ToolList.optional(), deny: ToolList.optional() }),
      z.string(),
      ToolList,
    ])
    .optional(),
  model: z.string().optional(),
});

export type PersonaFrontMatter = z.output<typeof PersonaFrontMatter>;

/** The keys {@link PersonaFrontMatter} reads; others are kept in {@link Persona.extra}. */
export const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.keys(PersonaFrontMatter.shape));

/**
 * Where a persona came from: shipped with the app (`builtin`), the user's
 * Claude Code folder `~/.claude/agents` (`claude-user`), Troika's persona
 * folder (`user`), or the workspace's `.claude/agents` (`project`).
 */
export type PersonaOrigin = 'builtin' | 'claude-user' | 'user' | 'project';

/** When a persona applies. */
export interface PersonaTriggers {
  /** Words or phrases in the task (whole words, any case, simple inflections). */
  readonly keywords: readonly string[];
  /** Globs over workspace-relative paths the task names or touches. */
  readonly globs: readonly string[];
  /** Tool names the agent is about to use or has used. */
  readonly tools: readonly string[];
}

/** Which tools the persona may use; enforced by the persona hook at PreToolUse. */
export interface PersonaToolLimits {
  /** Only these tools (and none else), when given. */
  readonly allow?: readonly string[];
  /** Never these tools. */
  readonly deny?: readonly string[];
}

export interface Persona {
  readonly name: string;
  readonly description: string;
  /** The description's first part, before any `<example>`, at most {@link MAX_SUMMARY_LENGTH} characters. */
  readonly summary?: string;
  readonly triggers: PersonaTriggers;
  /** Breaks score ties: higher wins. */
  readonly priority: number;
  readonly tools?: PersonaToolLimits;
  /** The role prompt (the Markdown body), with `\n` line ends and no surrounding blank lines. */
  readonly prompt: string;
  /** The model the persona asks for (Claude Code's `model`, mapped); `undefined` keeps the agent's. */
  readonly model?: string;
  /** Front matter keys Troika does not use, kept as written. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** What was ignored or read leniently, for the person: unknown keys, unmapped tools, a non-YAML front matter. */
  readonly notes?: readonly string[];
  /** The file it was read from. */
  readonly source: string;
  readonly origin: PersonaOrigin;
}
