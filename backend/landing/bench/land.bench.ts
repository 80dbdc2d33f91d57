/**
 * `landing/bench/`: the landing benchmark, `npm run bench:land`. Prints one JSON object.
 *
 * Everything goes through the composed backend as the UI calls it
 * (`landing.preview`, `landing.land` on the router), with real agents (the
 * scripted Messages API server makes them commit) and real git:
 *
 * - land_ms: click to landed for a clean squash of a 50-file change, gates
 *   off (preview not included: the user saw it before clicking);
 * - land_gates_ms: the same with gates on, the fixture's one gate taking a
 *   known GATE_SECONDS (so land_gates_ms - land_ms - GATE_SECONDS*1000 is
 *   the cost of the temporary worktree and setup);
 * - preview_ms: `landing.preview` on a repository of 10,000 files (LAND_BENCH_FILES);
 * - git_merge_tree_ms: plain `git merge-tree --write-tree` of the same
 *   branches in the same run, the ceiling preview_ms is measured against.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackend, type Backend } from '../../app.ts';
import type { AgentSummary, LandResult, MergePreview } from '../../protocol/index.ts';
import { startMessagesServer } from '../../testing/messages-server/index.ts';

const BIG_REPO_FILES = Number(process.env['LAND_BENCH_FILES'] ?? 10_000);
const CHANGED_FILES = 50;
const GATE_SECONDS = 1;

const root = realpathSync(mkdtempSync(join(tmpdir(), 'troika-land-bench-')));
const g = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 })
    .toString()
    .trim();

function repo(name: string, files: number, extra: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src'), { recursive: true });
  g(dir, 'init', '-q', '-b', 'main');
  g(dir, 'config', 'user.email', 'bench@example.com');
  g(dir, 'config', 'user.name', 'Bench');
  for (let i = 0; i < files; i++) {
    const sub = join(dir, 'src', `d${Math.floor(i / 100)}`);
    if (i % 100 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.txt`), `file ${i}\n`);
  }
  for (const [path, text] of Object.entries(extra)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  g(dir, 'add', '-A');
  g(dir, 'commit', '-q', '-m', 'start');
  return dir;
}

/** The agent's one command: change `count` files and commit them. */
const changeFiles = (count: number) =>
  `for i in $(seq 1 ${count}); do echo "changed $i" > src/d0/f$i.txt; done; mkdir -p new; for i in $(seq 1 ${count}); do echo "new $i" > new/n$i.txt; done; git add -A && git -c user.email=a@b -c user.name=a commit -qm work`;

const messages = await startMessagesServer({
  script: (request) => {
    const body = request.body as { messages?: Array<{ role: string }> } | undefined;
    const step = (body?.messages ?? []).filter((m) => m.role === 'assistant').length;
    return step === 0
      ? { toolUses: [{ name: 'bash', input: { command: changeFiles(CHANGED_FILES / 2) } }] }
      : {
          toolUses: [{ name: 'finish', input: { status: 'COMPLETE', summary: 'Changed files.' } }],
        };
  },
});
const backend: Backend = await createBackend({
  config: { dataDir: join(root, 'data'), apiKey: messages.apiKey, baseURL: messages.url },
  host: 'web',
});
const call = <T>(method: string, params: unknown) =>
  backend.router.dispatch(method, params, { connectionId: 'bench' }) as Promise<T>;

async function finishedAgent(workspace: string, task: string): Promise<AgentSummary> {
  const started = await call<AgentSummary>('agent.start', { task, workspace });
  for (;;) {
    const now = await call<AgentSummary>('agent.get', { id: started.id });
    if (now.state === 'done') return now;
    if (now.state === 'failed' || now.state === 'stopped')
      throw new Error(`agent ${now.state}: ${now.stateReason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function timeLand(workspace: string, gates: boolean): Promise<number> {
  const agent = await finishedAgent(workspace, 'Change fifty files');
  const preview = await call<MergePreview>('landing.preview', { id: agent.id });
  if (preview.files.length !== CHANGED_FILES)
    throw new Error(`expected ${CHANGED_FILES} files, got ${preview.files.length}`);
  const started = performance.now();
  const result = await call<LandResult>('landing.land', {
    id: agent.id,
    gates,
    expectTip: preview.targetTip,
  });
  const ms = performance.now() - started;
  if (!result.landed) throw new Error(`did not land: ${result.reason}`);
  return ms;
}

try {
  const gateProject = JSON.stringify({
    detect: false,
    gates: [{ name: 'known', command: `sleep ${GATE_SECONDS}`, timeoutSeconds: 60 }],
  });
  const land_ms = await timeLand(repo('land', 200), false);
  const land_gates_ms = await timeLand(
    repo('land-gates', 200, { '.troika/project.json': gateProject }),
    true,
  );

  const big = repo('big', BIG_REPO_FILES);
  const agent = await finishedAgent(big, 'Change fifty files in a big repository');
  // The user keeps working on main meanwhile: a real three-way merge, not a fast-forward.
  writeFileSync(join(big, 'src', 'user.txt'), 'user\n');
  g(big, 'add', '-A');
  g(big, 'commit', '-q', '-m', 'user work');
  const previewStart = performance.now();
  const preview = await call<MergePreview>('landing.preview', { id: agent.id });
  const preview_ms = performance.now() - previewStart;
  if (!preview.clean) throw new Error('the big preview should be clean');
  const gitStart = performance.now();
  g(big, 'merge-tree', '--write-tree', 'main', agent.branch ?? '');
  const git_merge_tree_ms = performance.now() - gitStart;

  const round = (ms: number) => Math.round(ms * 10) / 10;
  console.log(
    JSON.stringify({
      land_ms: round(land_ms),
      land_gates_ms: round(land_gates_ms),
      gate_known_ms: GATE_SECONDS * 1000,
      changed_files: CHANGED_FILES,
      preview_ms: round(preview_ms),
      git_merge_tree_ms: round(git_merge_tree_ms),
      preview_repo_files: BIG_REPO_FILES,
    }),
  );
} finally {
  await backend.dispose();
  await messages.close();
  rmSync(root, { recursive: true, force: true });
}
