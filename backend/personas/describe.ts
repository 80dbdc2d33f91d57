/**
 * Choosing a persona by its description, when no persona's triggers match:
 * how Claude Code's subagents (which have only a description) are chosen,
 * and a second chance for Troika's own.
 *
 * The task and each persona's text are cut into words (lower case, simple
 * English endings stripped, common words and the boilerplate of subagent
 * descriptions left out). A persona scores, for each distinct task word it
 * also has, that word's weight in the persona (its name counts most, then the
 * description's first part, then the rest, `<example>` blocks included) times
 * how rare the word is among all personas, so "kubernetes" says more than
 * "code". Long descriptions are damped so that examples do not win by volume.
 * The best persona is chosen when it scores at least {@link MIN_DESCRIPTION_SCORE}
 * and clearly ahead of the runner-up; its reason names the shared words.
 */
import type { Persona } from './persona.ts';

/** Below this, a shared word or two is chance ("fix", "add"), not a fit. */
export const MIN_DESCRIPTION_SCORE = 2.5;
/** The winner must lead the runner-up by this factor, or the choice is a coin toss. */
export const MIN_LEAD = 1.15;

const NAME_WEIGHT = 3;
const SUMMARY_WEIGHT = 2;
const BODY_WEIGHT = 1;
/** How much a long description is damped (BM25's `b`). */
const LENGTH_DAMPING = 0.5;

/** Words that say nothing of the kind of work, and the boilerplate subagent descriptions share. */
const STOP_WORDS = new Set(
  (
    'a an the and or but if then so to of in on at by for with from into onto as is are was were be been ' +
    'being it its this that these those there here i me my we our you your he she they them their what which ' +
    'who whom how why when where all any each every some no not only own same than too very can could will ' +
    'would should shall may might must do does did done doing have has had having please just also about ' +
    'after before again once up down out over under more most other such new make made get got let need ' +
    'want like using use used uses via etc e g ie eg one two way thing things something anything it s ' +
    'agent agents proactively proactive immediately specialist specialized specializing expert master ' +
    'masters user assistant context commentary example examples trigger triggers invoke invoked task tasks ' +
    'handle handles help helps work works working write writes written fix fixes fixed add adds added ' +
    'code file files project change changes read run find'
  ).split(/\s+/),
);

/** Strips simple English endings so "deploying", "deployment" and "deploys" meet. */
export function stem(word: string): string {
  let w = word;
  for (const suffix of [
    'ations',
    'ation',
    'ments',
    'ment',
    'ings',
    'ing',
    'ies',
    'ers',
    'er',
    'ed',
    'es',
    's',
  ]) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length) + (suffix === 'ies' ? 'y' : '');
      break;
    }
  }
  // "optimise" / "optimize", "analyse" / "analyze".
  w = w.replace(/is$/, 'iz').replace(/ys$/, 'yz');
  return w.replace(/e$/, '');
}

/** The words of `text`, stemmed, in order, stop words left out. */
export function words(text: string): string[] {
  return (
    (
      text
        // Escaped line ends of one-line YAML descriptions are spaces.
        .replace(/\\n/g, ' ')
        .toLowerCase()
        .match(/[\p{L}\p{N}]+/gu) ?? []
    )
      .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
      .map(stem)
      .filter((word) => word.length > 1 && !STOP_WORDS.has(word))
  );
}

interface Profile {
  readonly persona: Persona;
  /** Word → its weight in this persona (the strongest place it appears). */
  readonly weights: ReadonlyMap<string, number>;
  readonly length: number;
}

function profile(persona: Persona): Profile {
  const weights = new Map<string, number>();
  let length = 0;
  const add = (text: string, weight: number) => {
    for (const word of words(text)) {
      length++;
      if ((weights.get(word) ?? 0) < weight) weights.set(word, weight);
    }
  };
  add(persona.description, BODY_WEIGHT);
  add(persona.triggers.keywords.join(' '), BODY_WEIGHT);
  add(persona.summary ?? persona.description, SUMMARY_WEIGHT);
  add(persona.name.replace(/-/g, ' '), NAME_WEIGHT);
  return { persona, weights, length };
}

export interface DescriptionScore {
  readonly persona: Persona;
  readonly score: number;
  /** The task's words the persona shares, strongest first (stemmed). */
  readonly shared: readonly string[];
}

export interface DescriptionChoice extends DescriptionScore {
  /** One line for a person: why this persona. */
  readonly reason: string;
}

/** Every persona's score for `task`, best first (ties by priority, then name). */
export function scoreByDescription(task: string, personas: readonly Persona[]): DescriptionScore[] {
  const profiles = personas.map(profile);
  const averageLength =
    profiles.reduce((sum, p) => sum + p.length, 0) / Math.max(1, profiles.length);
  const taskWords = [...new Set(words(task))];
  const rarity = new Map<string, number>();
  for (const word of taskWords) {
    const having = profiles.filter((p) => p.weights.has(word)).length;
    rarity.set(word, having === 0 ? 0 : Math.log(1 + profiles.length / having));
  }
  return profiles
    .map((p) => {
      const damping = 1 - LENGTH_DAMPING + (LENGTH_DAMPING * p.length) / (averageLength || 1);
      const parts = taskWords
        .filter((word) => p.weights.has(word))
        .map((word) => ({
          word,
          value: ((p.weights.get(word) ?? 0) * (rarity.get(word) ?? 0)) / damping,
        }))
        .sort((a, b) => b.value - a.value);
      return {
        persona: p.persona,
        score: parts.reduce((sum, part) => sum + part.value, 0),
        shared: parts.map((part) => part.word),
      };
    })
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.persona.priority - a.persona.priority ||
        (a.persona.name < b.persona.name ? -1 : 1),
    );
}

/**
 * The persona whose description fits `task` best, or `undefined` when none
 * fits well enough (see the module header).
 */
export function chooseByDescription(
  task: string,
  personas: readonly Persona[],
): DescriptionChoice | undefined {
  const [best, next] = scoreByDescription(task, personas);
  if (best === undefined || best.score < MIN_DESCRIPTION_SCORE) return undefined;
  if (next !== undefined && best.score < next.score * MIN_LEAD) return undefined;
  const shown = best.shared.slice(0, 5).join(', ');
  const runnerUp =
    next !== undefined && next.score > 0
      ? `; next ${next.persona.name} ${next.score.toFixed(1)}`
      : '';
  return {
    ...best,
    reason: `its description fits the task best (shares ${shown}; score ${best.score.toFixed(1)}${runnerUp})`,
  };
}
