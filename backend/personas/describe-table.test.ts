/**
 * The selector against a table of task texts and the persona a person would
 * pick for each, over the built-ins plus Claude Code subagent files written
 * in the public shapes (backend/testing/claude-code-fixtures/). Tasks go
 * through `choosePersona`, the path the persona hook takes: triggers first,
 * descriptions when no trigger matches. The bar is 90%.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadPersonas } from './load.ts';
import { choosePersona } from './select.ts';

const FIXTURES = fileURLToPath(new URL('../testing/claude-code-fixtures/', import.meta.url));

/** Task text → the persona a developer would pin for it. */
const TABLE: ReadonlyArray<readonly [string, string]> = [
  ['Look over the diff I just made to the parser before I merge it', 'code-reviewer'],
  ['Review my latest commit for quality and maintainability problems', 'code-reviewer'],
  [
    'The server crashes on startup with a stack trace about a null pointer; find out why',
    'debugger',
  ],
  ['npm run build throws TypeError: cannot read properties of undefined', 'debugger'],
  [
    'Which customers churned last quarter? Pull the numbers from BigQuery and chart them',
    'data-scientist',
  ],
  ['Give me statistics on the sales CSV: averages per region and a trend', 'data-scientist'],
  [
    'Tighten the generics on the event emitter so the listener types are inferred',
    'typescript-pro',
  ],
  ['Turn on strict mode in tsconfig and make the compiler happy', 'typescript-pro'],
  [
    'Set up a GitHub Actions pipeline that builds the Docker image and deploys it to Kubernetes',
    'deployment-engineer',
  ],
  [
    'Write a Helm chart for the worker and wire it into the release automation',
    'deployment-engineer',
  ],
  ['Create an agent that triages new GitHub issues for my plugin', 'agent-creator'],
  ['Write a commit message for what I staged', 'commit-writer'],
  ['Draft the pull request description for this branch', 'commit-writer'],
  ['Add a German locale and translate the onboarding strings', 'i18n-translator'],
  ['Fix the plural forms in the Polish message catalog', 'i18n-translator'],
  ['Use window functions and a CTE to rank each customer by spend', 'sql-pro'],
  ['The login form leaks the password into the logs', 'security'],
  ['Add a unit test that reproduces the rounding bug in invoices', 'qa'],
  ['The dashboard page renders too slowly; profile it and make it faster', 'performance'],
  ['Update the README with the new install steps', 'docs'],
  ['Rename the helpers and extract the duplicated parsing into one function', 'refactorer'],
  ['Add a REST endpoint that returns the orders of a customer', 'backend'],
  ['Make the settings dialog usable with a keyboard and a screen reader', 'frontend'],
  ['Plan how the billing and shipping modules should share data before we build it', 'architect'],
];

test('the persona table: at least 90% of the tasks get the persona a person would pick', async () => {
  const { personas, errors } = await loadPersonas({
    homeDir: join(FIXTURES, 'home'),
    workspaceDir: join(FIXTURES, 'project'),
  });
  assert.deepEqual(errors, []);
  const misses: string[] = [];
  for (const [task, expected] of TABLE) {
    const chosen = choosePersona({ task }, personas)?.persona.name ?? '(none)';
    if (chosen !== expected) misses.push(`"${task}": expected ${expected}, chose ${chosen}`);
  }
  const passed = TABLE.length - misses.length;
  assert.ok(TABLE.length >= 20);
  assert.ok(
    passed / TABLE.length >= 0.9,
    `${passed}/${TABLE.length} right; misses:\n${misses.join('\n')}`,
  );
});

test('a choice made by description says so and names the shared words', async () => {
  const { personas } = await loadPersonas({ workspaceDir: join(FIXTURES, 'project') });
  const choice = choosePersona(
    { task: 'Deploy the worker to Kubernetes with a GitHub Actions pipeline' },
    personas,
  );
  assert.equal(choice?.persona.name, 'deployment-engineer');
  assert.match(
    choice?.reason ?? '',
    /only the keyword worker matched backend; its description fits.*kubernet/,
  );
});

test('small talk chooses nothing', async () => {
  const { personas } = await loadPersonas({ workspaceDir: join(FIXTURES, 'project') });
  assert.equal(choosePersona({ task: 'thanks, that looks good' }, personas), undefined);
});
