/**
 * `npm run bench`: runs every `bench:*` script in package.json in turn and
 * prints one JSON object keyed by benchmark, built from each one's last line.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const names = Object.keys(scripts).filter((name) => name.startsWith('bench:'));
const summary: Record<string, unknown> = {};
let failed = false;

for (const name of names) {
  console.error(`\n=== ${name}`);
  const run = spawnSync('npm', ['run', '--silent', name], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stderr.write(run.stdout);
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    summary[name.slice('bench:'.length)] = JSON.parse(last);
  } catch {
    summary[name.slice('bench:'.length)] = { error: `exit ${run.status}; last line is not JSON` };
    failed = true;
  }
}
console.log(JSON.stringify(summary));
process.exit(failed ? 1 : 0);
