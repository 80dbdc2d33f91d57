/**
 * Import and export in Task Master's `tasks.json` shape, so a plan moves
 * between tools. Task Master's fields (id, title, description, details,
 * testStrategy, status, dependencies, priority, subtasks) map to Troika's;
 * Troika's own (acceptance criteria, size, role, model, files) travel in the
 * task's `metadata.troika`, the field Task Master keeps for other tools'
 * data. Anything else a task carries (subtasks, other metadata, unknown keys)
 * is kept in `external` and written back on export, so a file round-trips.
 *
 * Accepted documents: `{ tasks: [...] }` (Task Master's legacy form),
 * `{ <tag>: { tasks: [...] } }` (its tagged form; the `master` tag, else the
 * only one), or a bare array of tasks.
 */
import { PlanTaskSchema, type PlanProblem, type PlanTask } from '../protocol/payloads/plans.ts';

export type TasksFileFormat = 'taskmaster' | 'taskmaster-tagged' | 'troika';

export interface ParsedTasksFile {
  format: TasksFileFormat;
  tasks: PlanTask[];
  /** Shape problems (bad JSON, a field of the wrong type); graph problems come from validatePlan. */
  problems: PlanProblem[];
  /** The tag's or document's `metadata.description`, if any: the plan's goal. */
  goal: string | null;
}

/** Largest tasks.json accepted (a plan of a few hundred detailed tasks is well under it). */
export const MAX_TASKS_FILE_BYTES = 2 * 1024 * 1024;

/** Troika's fields inside `metadata.troika`. */
const TROIKA_KEYS = ['acceptanceCriteria', 'size', 'role', 'model', 'files'] as const;
/** The task fields mapped one to one. */
const MAPPED_KEYS = new Set([
  'id',
  'title',
  'description',
  'details',
  'testStrategy',
  'status',
  'dependencies',
  'priority',
  'metadata',
]);

export function parseTasksFile(text: string): ParsedTasksFile {
  const fail = (kind: PlanProblem['kind'], message: string): ParsedTasksFile => ({
    format: 'taskmaster',
    tasks: [],
    problems: [{ kind, taskIds: [], message }],
    goal: null,
  });
  if (Buffer.byteLength(text) > MAX_TASKS_FILE_BYTES) {
    return fail('invalid_json', `The file is larger than ${MAX_TASKS_FILE_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail('invalid_json', `Not JSON: ${(error as Error).message}`);
  }
  const located = locateTasks(json);
  if (typeof located === 'string') return fail('invalid_shape', located);
  const problems: PlanProblem[] = [];
  const tasks: PlanTask[] = [];
  located.tasks.forEach((raw, index) => {
    const result = fromTaskMaster(raw, index);
    if ('problem' in result) problems.push(result.problem);
    else tasks.push(result.task);
  });
  return { format: located.format, tasks, problems, goal: located.goal };
}

function locateTasks(
  json: unknown,
): { format: TasksFileFormat; tasks: unknown[]; goal: string | null } | string {
  if (Array.isArray(json)) return { format: 'troika', tasks: json, goal: null };
  if (!isRecord(json)) return 'Expected an object with "tasks" (or a tag such as "master")';
  if (Array.isArray(json.tasks)) {
    return { format: 'taskmaster', tasks: json.tasks, goal: describedGoal(json.metadata) };
  }
  const tags = Object.keys(json).filter((k) => isRecord(json[k]) && Array.isArray(json[k].tasks));
  const tag = tags.includes('master') ? 'master' : tags.length === 1 ? tags[0] : undefined;
  if (tag === undefined) {
    return tags.length > 1
      ? `The file has several tags (${tags.join(', ')}) and none is "master": import one tag's tasks`
      : 'Expected "tasks": [...] or a tag such as { "master": { "tasks": [...] } }';
  }
  const tagged = json[tag] as Record<string, unknown>;
  return {
    format: 'taskmaster-tagged',
    tasks: tagged.tasks as unknown[],
    goal: describedGoal(tagged.metadata),
  };
}

function describedGoal(metadata: unknown): string | null {
  return isRecord(metadata) && typeof metadata.description === 'string'
    ? metadata.description
    : null;
}

function fromTaskMaster(
  raw: unknown,
  index: number,
): { task: PlanTask } | { problem: PlanProblem } {
  const label =
    isRecord(raw) && raw.id !== undefined ? `Task "${String(raw.id)}"` : `Task #${index + 1}`;
  if (!isRecord(raw)) {
    return { problem: shapeProblem([], `${label}: expected an object`) };
  }
  const metadata = isRecord(raw.metadata) ? raw.metadata : {};
  const troika = isRecord(metadata.troika) ? metadata.troika : {};
  const external: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) if (!MAPPED_KEYS.has(key)) external[key] = value;
  const otherMetadata = Object.fromEntries(
    Object.entries(metadata).filter(([k]) => k !== 'troika'),
  );
  if (Object.keys(otherMetadata).length > 0) {
    external.metadata = otherMetadata;
  }
  const input: Record<string, unknown> = {
    id: idText(raw.id),
    title: raw.title,
    description: raw.description,
    details: raw.details,
    testStrategy: raw.testStrategy,
    status: raw.status,
    dependencies: Array.isArray(raw.dependencies) ? raw.dependencies.map(idText) : raw.dependencies,
    priority: raw.priority,
    external,
  };
  for (const key of TROIKA_KEYS) input[key] = troika[key];
  const parsed = PlanTaskSchema.safeParse(withoutUndefined(input));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.map(String).join('.') || '(task)';
    return {
      problem: shapeProblem(
        typeof input.id === 'string' ? [input.id] : [],
        `${label}: ${where} ${issue?.message ?? 'is invalid'}`,
      ),
    };
  }
  return { task: parsed.data };
}

/** Task Master writes ids as numbers; Troika keeps them as text. */
function idText(value: unknown): unknown {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
}

/** Back to a number when the id was one, so Task Master reads its own ids. */
function idValue(id: string): string | number {
  return /^(0|[1-9]\d{0,14})$/.test(id) ? Number(id) : id;
}

export interface ExportOptions {
  /** Written as the tag's `metadata.description`. */
  goal?: string;
  /** Task Master's current form is tagged; `legacy` writes `{ tasks }`. */
  form?: 'tagged' | 'legacy';
}

/** The plan as a Task Master document (an object, ready for JSON.stringify). */
export function toTasksFile(tasks: readonly PlanTask[], options: ExportOptions = {}): object {
  const exported = tasks.map(toTaskMaster);
  const body: Record<string, unknown> = { tasks: exported };
  if (options.goal) body.metadata = { description: options.goal };
  return options.form === 'legacy' ? body : { master: body };
}

function toTaskMaster(task: PlanTask): Record<string, unknown> {
  const { metadata: otherMetadata, ...external } = task.external;
  const troika: Record<string, unknown> = {};
  for (const key of TROIKA_KEYS) troika[key] = task[key];
  return {
    id: idValue(task.id),
    title: task.title,
    description: task.description,
    details: task.details,
    testStrategy: task.testStrategy,
    status: task.status,
    dependencies: task.dependencies.map(idValue),
    priority: task.priority,
    ...external,
    metadata: { ...(isRecord(otherMetadata) ? otherMetadata : {}), troika },
  };
}

function shapeProblem(taskIds: string[], message: string): PlanProblem {
  return { kind: 'invalid_shape', taskIds, message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent and `undefined` are the same here: the schema's default applies. */
function withoutUndefined(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
}
