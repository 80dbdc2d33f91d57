/**
 * Gates: the repository's own checks, found by looking at it the way a
 * developer would (package.json scripts typecheck, lint, test, build in that
 * order; a Makefile's check/test/lint; cargo; go; pytest), adjusted by the
 * project file, and run one after another on a merge result. The first that
 * fails stops the rest: the merge does not land either way.
 */
import type { GateResult, GateSpec } from '../protocol/landing.ts';
import { git } from './git.ts';
import type { ProjectFile } from './project-file.ts';
import { runCommand } from './run-command.ts';

const PACKAGE_SCRIPTS = ['typecheck', 'lint', 'test', 'build'] as const;
const MAKE_TARGETS = ['check', 'test', 'lint'] as const;

async function fileAt(repo: string, commit: string, path: string): Promise<string | null> {
  const result = await git(repo, ['cat-file', '-p', `${commit}:${path}`], { okCodes: [128] });
  return result.code === 0 ? result.stdout : null;
}

function packageRunner(files: Set<string>): string {
  if (files.has('pnpm-lock.yaml')) return 'pnpm run';
  if (files.has('yarn.lock')) return 'yarn run';
  if (files.has('bun.lockb') || files.has('bun.lock')) return 'bun run';
  return 'npm run';
}

/** The checks a repository has at `commit`, before the project file has its say. */
export async function detectGates(
  repo: string,
  commit: string,
  timeoutMs: number,
): Promise<GateSpec[]> {
  const listing = await git(repo, ['ls-tree', '--name-only', '-z', commit]);
  const files = new Set(listing.stdout.split('\0').filter(Boolean));
  const gates: GateSpec[] = [];
  const add = (name: string, command: string, source: string) =>
    gates.push({ name, command, timeoutMs, source });

  if (files.has('package.json')) {
    try {
      const pkg = JSON.parse((await fileAt(repo, commit, 'package.json')) ?? '{}') as {
        scripts?: Record<string, unknown>;
      };
      const runner = packageRunner(files);
      for (const script of PACKAGE_SCRIPTS) {
        if (typeof pkg.scripts?.[script] === 'string')
          add(script, `${runner} ${script}`, 'package.json');
      }
    } catch {
      // A package.json that does not parse has no scripts to run; npm would fail the same way.
    }
  }
  const makefile = ['Makefile', 'makefile', 'GNUmakefile'].find((name) => files.has(name));
  if (makefile) {
    const text = (await fileAt(repo, commit, makefile)) ?? '';
    for (const target of MAKE_TARGETS) {
      if (new RegExp(`^${target}\\s*:(?!=)`, 'm').test(text))
        add(`make ${target}`, `make ${target}`, 'Makefile');
    }
  }
  if (files.has('Cargo.toml')) {
    add('cargo check', 'cargo check', 'cargo');
    add('cargo test', 'cargo test', 'cargo');
  }
  if (files.has('go.mod')) {
    add('go vet', 'go vet ./...', 'go');
    add('go test', 'go test ./...', 'go');
  }
  const pyproject = files.has('pyproject.toml')
    ? await fileAt(repo, commit, 'pyproject.toml')
    : null;
  const setupCfg = files.has('setup.cfg') ? await fileAt(repo, commit, 'setup.cfg') : null;
  if (
    files.has('pytest.ini') ||
    files.has('conftest.py') ||
    (pyproject ?? '').includes('[tool.pytest') ||
    (setupCfg ?? '').includes('[tool:pytest]') ||
    (files.has('tox.ini') && ((await fileAt(repo, commit, 'tox.ini')) ?? '').includes('[pytest]'))
  )
    add('pytest', 'pytest', 'pytest');
  return gates;
}

/** Detected gates with the project file's overrides and additions applied. */
export async function resolveGates(
  repo: string,
  commit: string,
  project: ProjectFile | null,
): Promise<GateSpec[]> {
  const defaultMs = (project?.gateTimeoutSeconds ?? 600) * 1000;
  const detected = project?.detect === false ? [] : await detectGates(repo, commit, defaultMs);
  if (!project) return detected;
  const overrides = new Map(project.gates.map((g) => [g.name, g]));
  const gates: GateSpec[] = [];
  for (const gate of detected) {
    const override = overrides.get(gate.name);
    if (!override) gates.push(gate);
    else if (override.command !== null)
      gates.push({
        name: gate.name,
        command: override.command,
        timeoutMs: (override.timeoutSeconds ?? defaultMs / 1000) * 1000,
        source: 'project file',
      });
  }
  const detectedNames = new Set(detected.map((g) => g.name));
  for (const gate of project.gates) {
    if (detectedNames.has(gate.name) || gate.command === null) continue;
    gates.push({
      name: gate.name,
      command: gate.command,
      timeoutMs: (gate.timeoutSeconds ?? defaultMs / 1000) * 1000,
      source: 'project file',
    });
  }
  return gates;
}

/** Runs the gates in `cwd` in order; stops at the first that fails. */
export async function runGates(
  gates: readonly GateSpec[],
  cwd: string,
  hooks: {
    onOutput?: (gate: string, chunk: string) => void;
    onResult?: (result: GateResult) => void;
  } = {},
): Promise<GateResult[]> {
  const results: GateResult[] = [];
  for (const gate of gates) {
    hooks.onOutput?.(gate.name, `\r\n\x1b[1m$ ${gate.command}\x1b[0m\r\n`);
    const run = await runCommand(gate.command, {
      cwd,
      timeoutMs: gate.timeoutMs,
      onOutput: (chunk) => hooks.onOutput?.(gate.name, chunk),
    });
    const result: GateResult = {
      name: gate.name,
      command: gate.command,
      status: run.timedOut ? 'timed_out' : run.exitCode === 0 ? 'passed' : 'failed',
      exitCode: run.exitCode,
      durationMs: run.durationMs,
      output: run.output,
    };
    results.push(result);
    hooks.onResult?.(result);
    if (result.status !== 'passed') break;
  }
  return results;
}
