import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { detectGates, resolveGates, runGates } from './gates.ts';
import { parseProjectFile } from './project-file.ts';
import { runSetup } from './setup.ts';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'troika-gates-')));
after(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

function repoWith(files: Record<string, string>): { repo: string; head: string } {
  const repo = join(base, `repo-${++n}`);
  mkdirSync(repo);
  const g = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  g('init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
  g('add', '.');
  g('-c', 'user.email=t@e', '-c', 'user.name=t', 'commit', '-q', '-m', 'init');
  return { repo, head: g('rev-parse', 'HEAD').toString().trim() };
}

describe('gates', () => {
  test('are found in package.json (in order), a Makefile, cargo, go and pytest', async () => {
    const { repo, head } = repoWith({
      'package.json': JSON.stringify({
        scripts: { build: 'x', test: 'x', start: 'x', typecheck: 'x' },
      }),
      Makefile: 'lint:\n\techo\ncheck: lint\n\techo\nVAR := 1\n',
      'Cargo.toml': '[package]\n',
      'go.mod': 'module x\n',
      'pyproject.toml': '[tool.pytest.ini_options]\n',
    });
    const gates = await detectGates(repo, head, 1000);
    assert.deepEqual(
      gates.map((g) => g.command),
      [
        'npm run typecheck',
        'npm run test',
        'npm run build',
        'make check',
        'make lint',
        'cargo check',
        'cargo test',
        'go vet ./...',
        'go test ./...',
        'pytest',
      ],
    );
  });

  test('the project file replaces, drops and adds gates with their own limits', async () => {
    const project = parseProjectFile(
      JSON.stringify({
        gateTimeoutSeconds: 5,
        gates: [
          { name: 'test', command: 'npm test -- --quick', timeoutSeconds: 60 },
          { name: 'build', command: null },
          { name: 'e2e', command: './e2e.sh' },
        ],
      }),
      'project.json',
    );
    const { repo, head } = repoWith({
      'package.json': JSON.stringify({ scripts: { lint: 'x', test: 'x', build: 'x' } }),
    });
    const gates = await resolveGates(repo, head, project);
    assert.deepEqual(
      gates.map((g) => [g.name, g.command, g.timeoutMs]),
      [
        ['lint', 'npm run lint', 5000],
        ['test', 'npm test -- --quick', 60000],
        ['e2e', './e2e.sh', 5000],
      ],
    );
  });

  test('a bad project file is a clear error', () => {
    assert.throws(() => parseProjectFile('{"gates": [{"name": 1}]}', 'p.json'), /p\.json.*gates/s);
    assert.throws(
      () => parseProjectFile('{"setup": {"copy": ["../x"]}}', 'p.json'),
      /inside the repository/,
    );
    assert.throws(() => parseProjectFile('{', 'p.json'), /not valid JSON/);
  });

  test('run in order, stop at the first failure, and a hung gate is killed at its limit', async () => {
    const cwd = join(base, `run-${++n}`);
    mkdirSync(cwd);
    const output: string[] = [];
    const results = await runGates(
      [
        { name: 'ok', command: 'echo fine', timeoutMs: 10_000, source: 'test' },
        { name: 'hangs', command: 'sleep 30 & wait', timeoutMs: 300, source: 'test' },
        { name: 'never', command: 'touch ran', timeoutMs: 10_000, source: 'test' },
      ],
      cwd,
      { onOutput: (_gate, chunk) => output.push(chunk) },
    );
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ['ok', 'passed'],
        ['hangs', 'timed_out'],
      ],
    );
    assert.match(results[0]?.output ?? '', /fine/);
    assert.match(output.join(''), /time limit/);
    const failing = await runGates(
      [{ name: 'f', command: 'echo nope >&2; exit 3', timeoutMs: 10_000, source: 't' }],
      cwd,
    );
    assert.equal(failing[0]?.status, 'failed');
    assert.equal(failing[0]?.exitCode, 3);
    assert.match(failing[0]?.output ?? '', /nope/);
  });

  test('setup copies and links from the main checkout, runs its command, and reports a failure', async () => {
    const main = join(base, `main-${++n}`);
    const wt = join(base, `wt-${n}`);
    mkdirSync(join(main, 'node_modules', 'x'), { recursive: true });
    mkdirSync(wt);
    writeFileSync(join(main, '.env'), 'A=1\n');
    const project = parseProjectFile(
      JSON.stringify({
        setup: { copy: ['.env'], link: ['node_modules'], command: 'echo set > done' },
      }),
      'p',
    );
    const ok = await runSetup(wt, main, project);
    assert.equal(ok.ok, true, ok.error ?? '');
    assert.equal(readFileSync(join(wt, '.env'), 'utf8'), 'A=1\n');
    assert.equal(lstatSync(join(wt, 'node_modules')).isSymbolicLink(), true);
    assert.equal(readFileSync(join(wt, 'done'), 'utf8'), 'set\n');
    const bad = await runSetup(
      wt,
      main,
      parseProjectFile(JSON.stringify({ setup: { copy: ['missing.env'], command: 'true' } }), 'p'),
    );
    assert.equal(bad.ok, false);
    assert.match(bad.error ?? '', /missing\.env/);
    const failing = await runSetup(
      wt,
      main,
      parseProjectFile(JSON.stringify({ setup: { command: 'exit 4' } }), 'p'),
    );
    assert.match(failing.error ?? '', /exited with code 4/);
  });
});
