/**
 * Drafts of plans the planner proposed, kept as one JSON file each under
 * `<dataDir>/plans/drafts/` (written to a temporary file, then renamed, so a
 * crash leaves the old draft or the new one). A draft is not a plan until
 * the user approves it: the plan tables (plan-store.ts) hold only plans.
 */
import {
  appendFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { PlanDraftSchema, type PlanDraft } from '../protocol/payloads/plan-drafts.ts';

/** What a restart tells a draft whose planner was still at work (its agent is not resumed). */
export const INTERRUPTED_PLANNER =
  'Troika stopped while the planner was at work; propose the plan again';

export class PlanDrafts {
  readonly #dir: string;
  readonly #drafts = new Map<string, PlanDraft>();
  readonly #now: () => number;
  /** Every agent that ran as a planner, kept when its draft is discarded: it stays read-only. */
  readonly #planners: Set<string>;

  constructor(dir: string, now: () => number = Date.now) {
    this.#dir = dir;
    this.#now = now;
    mkdirSync(dir, { recursive: true });
    this.#planners = new Set(
      (readFileSync(this.#plannersFile, { encoding: 'utf8', flag: 'a+' }) as string)
        .split('\n')
        .filter(Boolean),
    );
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      const parsed = PlanDraftSchema.safeParse(safeJson(readFileSync(join(dir, name), 'utf8')));
      if (!parsed.success) {
        console.error(`[troika] Skipping the unreadable plan draft ${name}`);
        continue;
      }
      const draft = parsed.data;
      this.#drafts.set(draft.id, draft);
      if (draft.state === 'proposing')
        this.update(draft.id, { state: 'failed', stateReason: INTERRUPTED_PLANNER });
    }
  }

  markPlanner(agentId: string): void {
    if (this.#planners.has(agentId)) return;
    this.#planners.add(agentId);
    appendFileSync(this.#plannersFile, `${agentId}\n`);
  }

  isPlanner(agentId: string): boolean {
    return this.#planners.has(agentId);
  }

  get #plannersFile(): string {
    return join(this.#dir, 'planner-agents.txt');
  }

  insert(draft: PlanDraft): PlanDraft {
    this.#write(draft);
    return draft;
  }

  get(id: string): PlanDraft | undefined {
    return this.#drafts.get(id);
  }

  /** Newest first. */
  list(): PlanDraft[] {
    return [...this.#drafts.values()].sort((a, b) => b.createdAt - a.createdAt);
  }

  update(id: string, patch: Partial<Omit<PlanDraft, 'id' | 'createdAt'>>): PlanDraft {
    const current = this.#drafts.get(id);
    if (!current) throw new Error(`No plan draft "${id}"`);
    const next = { ...current, ...patch, updatedAt: this.#now() };
    this.#write(next);
    return next;
  }

  remove(id: string): void {
    this.#drafts.delete(id);
    rmSync(this.#file(id), { force: true });
  }

  #write(draft: PlanDraft): void {
    const file = this.#file(draft.id);
    writeFileSync(`${file}.tmp`, `${JSON.stringify(draft, null, 2)}\n`);
    renameSync(`${file}.tmp`, file);
    this.#drafts.set(draft.id, draft);
  }

  #file(id: string): string {
    return join(this.#dir, `${id}.json`);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
