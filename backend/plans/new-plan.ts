/**
 * Saves a checked plan: its id, and the slug that names its integration
 * branch (`troika/plan-<slug>`), made from its name and unique among plans.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_MODEL } from '../provider/models.ts';
import type { PlanTask } from '../protocol/payloads/plans.ts';
import { DEFAULT_MAX_ATTEMPTS } from './escalation.ts';
import type { PlanRecord, PlanStore } from './plan-store.ts';
import { validatePlan } from './validate.ts';

export interface NewPlan {
  name: string;
  goal?: string;
  workspace: string;
  tasks: PlanTask[];
  model?: string;
  strongerModel?: string | null;
  maxAttempts?: number;
  budgetUsd?: number | null;
}

export function createPlan(store: PlanStore, input: NewPlan): PlanRecord {
  const problems = validatePlan(input.tasks);
  if (problems.length > 0) {
    throw new Error(`The plan cannot run: ${problems.map((p) => p.message).join('; ')}`);
  }
  return store.insert({
    id: randomUUID(),
    slug: uniqueSlug(store, input.name),
    name: input.name,
    goal: input.goal ?? '',
    workspace: input.workspace,
    model: input.model ?? DEFAULT_MODEL,
    strongerModel: input.strongerModel ?? null,
    maxAttempts: input.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    budgetUsd: input.budgetUsd ?? null,
    tasks: input.tasks,
  });
}

/** Lower-case letters, digits and dashes, at most 40: safe in a branch name on every OS. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    // Accents come apart from their letters under NFKD; dropping them keeps "ü" as "u".
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug || 'plan';
}

function uniqueSlug(store: PlanStore, name: string): string {
  const base = slugify(name);
  let slug = base;
  for (let n = 2; store.slugTaken(slug); n++) slug = `${base}-${n}`;
  return slug;
}
