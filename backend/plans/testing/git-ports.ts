/**
 * In-process plan ports doing real git work on a temporary repository, for
 * the scheduler's tests until landing/ provides the product's: each task is
 * built in its own worktree from the integration branch's tip by a scripted
 * "agent" (a function that writes files), the gate is a real command
 * (`node gate.mjs`, failing on any tracked file containing "BUG"), a merge
 * is computed with `git merge-tree --write-tree` and gated in a temporary
 * worktree before the branch moves.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { runGitCommand } from '../../../native/git-lock.ts';
import type {
  BuildRequest,
  BuildResult,
  GateRequest,
  GateResult,
  MergeRequest,
  MergeResult,
  PlanPorts,
} from '../ports.ts';

const run = promisify(execFile);

const GATE_SCRIPT = `
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' }).split('\\n').filter((f) => f && f !== 'gate.mjs');
const bad = files.filter((f) => readFileSync(f, 'utf8').includes('BUG'));
if (bad.length > 0) { console.error('gate failed: BUG in ' + bad.join(', ')); process.exit(1); }
console.log('gate passed: ' + files.length + ' files');
`;

/** What a scripted agent does on one attempt: the files it writes (path → content), read from what is there. */
export type AgentScript = (context: {
  attempt: number;
  model: string;
  feedback: string | null;
  read: (path: string) => string | null;
}) => Record<string, string> | Promise<Record<string, string>>;

export interface BuildCall {
  taskId: string;
  attempt: number;
  model: string;
  feedback: string | null;
  budgetUsd: number | null;
  /** The task's description as the build was asked for it (an edited task's new one). */
  description: string;
}

/**
 * Git as the product runs it: builds, gates and merges side by side wait out
 * each other's locks, and worktrees are added and removed one at a time.
 */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await runGitCommand(
    cwd,
    args,
    () => run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 }),
    (error) => String((error as { stderr?: unknown }).stderr ?? ''),
  );
  return stdout.trim();
}

/** A repository with one commit holding the gate script. */
export async function createRepo(): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'troika-plan-'));
  const repo = join(root, 'repo');
  mkdirSync(repo);
  await git(repo, 'init', '-q', '-b', 'main');
  await git(repo, 'config', 'user.email', 'plans@troika.test');
  await git(repo, 'config', 'user.name', 'Troika plans test');
  await git(repo, 'config', 'commit.gpgsign', 'false');
  writeFileSync(join(repo, 'gate.mjs'), GATE_SCRIPT);
  writeFileSync(join(repo, 'README.md'), '# project\n');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-q', '-m', 'start');
  return repo;
}

export function removeRepo(repo: string): void {
  rmSync(dirname(repo), { recursive: true, force: true });
}

export class GitPlanPorts implements PlanPorts {
  readonly repo: string;
  readonly scripts: Map<string, AgentScript>;
  readonly calls: BuildCall[] = [];
  /** Tasks building at this moment, and the largest such set seen. */
  readonly active = new Set<string>();
  readonly concurrent: string[][] = [];
  /** Cost each build reports. */
  costPerBuild = 0.01;
  /** Called when a build starts, before the agent writes: lets a test hold a build open. */
  beforeBuild: (request: BuildRequest, signal: AbortSignal) => Promise<void> = async () => {};
  /** Called once the agent's files are written, before they are committed: a test can hold uncommitted work open. */
  beforeCommit: (request: BuildRequest, dir: string) => Promise<void> = async () => {};

  constructor(repo: string, scripts: Record<string, AgentScript>) {
    this.repo = repo;
    this.scripts = new Map(Object.entries(scripts));
  }

  async prepare(plan: { integrationBranch: string }): Promise<void> {
    const exists = await git(this.repo, 'branch', '--list', plan.integrationBranch);
    if (exists === '') await git(this.repo, 'branch', plan.integrationBranch, 'HEAD');
  }

  async build(request: BuildRequest, signal: AbortSignal): Promise<BuildResult> {
    const { task } = request;
    this.calls.push({
      taskId: task.id,
      attempt: request.attempt,
      model: request.model,
      feedback: request.feedback,
      budgetUsd: request.budgetUsd,
      description: task.description,
    });
    this.active.add(task.id);
    this.concurrent.push([...this.active].sort());
    try {
      await this.beforeBuild(request, signal);
      signal.throwIfAborted();
      const branch = `troika/task-${request.planId}-${task.id}`;
      const dir = join(dirname(this.repo), 'worktrees', task.id);
      // Each attempt starts from the integration branch's tip, so it sees its dependencies' work.
      if (existsSync(dir)) await git(dir, 'checkout', '-q', '-B', branch, request.base);
      else await git(this.repo, 'worktree', 'add', '-q', '-B', branch, dir, request.base);
      const script = this.scripts.get(task.id);
      if (!script) throw new Error(`No script for task ${task.id}`);
      const files = await script({
        attempt: request.attempt,
        model: request.model,
        feedback: request.feedback,
        read: (path) =>
          existsSync(join(dir, path)) ? readFileSync(join(dir, path), 'utf8') : null,
      });
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), content);
      }
      await this.beforeCommit(request, dir);
      await git(dir, 'add', '-A');
      await git(
        dir,
        'commit',
        '-q',
        '--allow-empty',
        '-m',
        `${task.id}: attempt ${request.attempt}`,
      );
      return {
        ok: true,
        branch,
        costUsd: this.costPerBuild,
        tokens: { input: 1000 * request.attempt, output: 100 },
        summary: `wrote ${Object.keys(files).join(', ')}`,
      };
    } finally {
      this.active.delete(task.id);
    }
  }

  async gates(request: GateRequest): Promise<GateResult> {
    const dir = join(
      dirname(this.repo),
      'gates',
      `${request.taskId}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    );
    await git(this.repo, 'worktree', 'add', '-q', '--detach', dir, request.ref);
    const started = Date.now();
    // The one command, as the product's ports record each (the plan view's gate tab reads it).
    const result = (passed: boolean, exitCode: number | null, output: string): GateResult => ({
      passed,
      output,
      checks: [
        {
          name: 'gate',
          command: 'node gate.mjs',
          status: passed ? 'passed' : 'failed',
          exitCode,
          durationMs: Date.now() - started,
          output,
        },
      ],
    });
    try {
      const { stdout } = await run(process.execPath, ['gate.mjs'], { cwd: dir });
      return result(true, 0, stdout.trim());
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; code?: unknown };
      const code = typeof e.code === 'number' ? e.code : null;
      return result(false, code, `${e.stdout ?? ''}${e.stderr ?? ''}`.trim());
    } finally {
      await git(this.repo, 'worktree', 'remove', '--force', dir);
    }
  }

  async merge(request: MergeRequest): Promise<MergeResult> {
    const onto = request.onto ?? request.into;
    try {
      const tree = await git(this.repo, 'merge-tree', '--write-tree', onto, request.branch);
      const commit = await git(
        this.repo,
        'commit-tree',
        tree,
        '-p',
        onto,
        '-p',
        request.branch,
        '-m',
        `Merge task ${request.taskId}`,
      );
      return { status: 'clean', commit };
    } catch (error) {
      // Exit status 1: conflicts; stdout holds the tree, the conflicted files and the messages.
      const e = error as { code?: number; stdout?: string };
      if (e.code !== 1) throw error;
      const files = await git(
        this.repo,
        'merge-tree',
        '--write-tree',
        '--name-only',
        '--no-messages',
        onto,
        request.branch,
      ).catch((inner: { stdout?: string }) => inner.stdout ?? '');
      return {
        status: 'conflict',
        files: files.split('\n').slice(1).filter(Boolean),
        output: e.stdout ?? '',
      };
    }
  }

  async advance(into: string, commit: string): Promise<void> {
    await git(this.repo, 'update-ref', `refs/heads/${into}`, commit);
  }

  worktreeOf(taskId: string): string | null {
    const dir = join(dirname(this.repo), 'worktrees', taskId);
    return existsSync(dir) ? dir : null;
  }

  async isMerged(branch: string, into: string): Promise<boolean> {
    try {
      await git(this.repo, 'merge-base', '--is-ancestor', branch, into);
      return true;
    } catch {
      return false;
    }
  }

  /** A file's content on a branch, or null. */
  async show(ref: string, path: string): Promise<string | null> {
    return git(this.repo, 'show', `${ref}:${path}`).catch(() => null);
  }

  /** Any git command in the repository, for a test to look at history. */
  git(...args: string[]): Promise<string> {
    return git(this.repo, ...args);
  }
}
