/** `plans/testing/`: a plan over a real SQLite file and a real git repository, for the scheduler's tests. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../native/sqlite.ts';
import { openTroikaDatabase } from '../../persistence/database.ts';
import type { PlanTask } from '../../protocol/payloads/plans.ts';
import { createPlan, type NewPlan } from '../new-plan.ts';
import { PlanStore } from '../plan-store.ts';
import { PlanRunner } from '../scheduler.ts';
import { createRepo, GitPlanPorts, removeRepo, type AgentScript } from './git-ports.ts';

export interface Harness {
  repo: string;
  dbFile: string;
  db: Database;
  store: PlanStore;
  planId: string;
  ports: GitPlanPorts;
  runner: PlanRunner;
  /** A second process's view: a new connection, store, ports and runner over the same files. */
  reopen(scripts: Record<string, AgentScript>): Harness;
  dispose(): void;
}

export async function planHarness(
  tasks: PlanTask[],
  scripts: Record<string, AgentScript>,
  options: Partial<NewPlan> = {},
): Promise<Harness> {
  const repo = await createRepo();
  const dataDir = mkdtempSync(join(tmpdir(), 'troika-plan-db-'));
  const dbFile = join(dataDir, 'troika.db');
  const open = (planId: string | null, s: Record<string, AgentScript>): Harness => {
    const db = openTroikaDatabase(dbFile);
    const store = new PlanStore(db);
    const id =
      planId ??
      createPlan(store, {
        name: 'Test plan',
        workspace: repo,
        tasks,
        model: 'claude-sonnet-5-5',
        ...options,
      }).id;
    const ports = new GitPlanPorts(repo, s);
    return {
      repo,
      dbFile,
      db,
      store,
      planId: id,
      ports,
      runner: new PlanRunner({ store, ports, planId: id }),
      reopen: (next) => open(id, next),
      dispose: () => {
        if (db.open) db.close();
        removeRepo(repo);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  };
  return open(null, scripts);
}

/** Waits until `predicate` holds, checking after every turn of the event loop (for at most `ms`). */
export async function waitUntil(
  predicate: () => boolean,
  what: string,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
