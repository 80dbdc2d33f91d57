/**
 * Whether two tasks' declared files or globs can touch the same file, so the
 * scheduler keeps them apart. Exact for a path against a path or a glob
 * (picomatch decides); for two globs it is conservative: they overlap unless
 * their fixed leading folders are disjoint, since holding two tasks apart by
 * mistake costs time while running them together can cost a conflict.
 */
import picomatch from 'picomatch';

const OPTIONS = { dot: true };

export interface Overlap {
  /** The pattern of the first list. */
  mine: string;
  /** The pattern of the second list it overlaps. */
  theirs: string;
}

/** The first pair of patterns of `a` and `b` that overlap, or null when none does. */
export function firstOverlap(a: readonly string[], b: readonly string[]): Overlap | null {
  for (const mine of a) {
    for (const theirs of b) if (patternsOverlap(mine, theirs)) return { mine, theirs };
  }
  return null;
}

export function patternsOverlap(p: string, q: string): boolean {
  const a = normalize(p);
  const b = normalize(q);
  if (a === b) return true;
  const aGlob = picomatch.scan(a).isGlob;
  const bGlob = picomatch.scan(b).isGlob;
  // A declared path may be a folder (`src/api`): it covers what lies in it.
  if (!aGlob && !bGlob) return isInside(a, b) || isInside(b, a);
  if (!aGlob) return picomatch.isMatch(a, b, OPTIONS) || isInside(picomatch.scan(b).base, a);
  if (!bGlob) return picomatch.isMatch(b, a, OPTIONS) || isInside(picomatch.scan(a).base, b);
  const baseA = picomatch.scan(a).base;
  const baseB = picomatch.scan(b).base;
  return isInside(baseA, baseB) || isInside(baseB, baseA);
}

/**
 * Whether `path` is the folder `folder` or lies in it (`''` is the root: it
 * holds everything). A declared folder path (`src/api`) covers its files.
 */
function isInside(path: string, folder: string): boolean {
  return folder === '' || path === folder || path.startsWith(`${folder}/`);
}

function normalize(pattern: string): string {
  return pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');
}
