/**
 * Property: a secret a workspace file holds, in any of the forms files write
 * it (`.env`, `export`, indented, quoted, JSON, YAML), never leaves the tools
 * unredacted, whichever tool shows it (the editor's numbered `view`, `cat -n`
 * and `grep -n` in the agent's real PTY, `search_files`), and neither does
 * the bare value once it was seen beside its key. Checked where it could
 * end up: the model requests the Messages test server received, the events,
 * every file the run left in the data folder (the SQLite database and its
 * WAL, the token cache's cold tier, the recorded terminal), as raw bytes.
 */
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import type { AgentSummary } from '../protocol/agent.ts';
import { Redactor } from '../redaction/redact.ts';
import { EventBus } from '../bus/events.ts';
import { ScrollbackRecorder } from './scrollback.ts';
import { Harness, resultText } from './testing/harness.ts';

/** Each run starts an agent with a real shell: a handful keeps the test to seconds. */
const RUNS = 4;
const SCROLLBACK_AGENT = 'agent-under-test';

const ALNUM = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'];
const PUNCTUATION = [...'-_.+/@%^*!~'];

/** A password or random key: starts with a letter or digit, holds a letter and a digit. */
const randomValue = fc
  .tuple(
    fc.constantFrom(...ALNUM),
    fc.string({ unit: fc.constantFrom(...ALNUM, ...PUNCTUATION), minLength: 10, maxLength: 30 }),
    fc.constantFrom(...'0123456789'),
    fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'),
  )
  .map(([first, middle, digit, letter]) => `${first}${middle}${digit}${letter}`);
const token = (prefix: string, length: number) =>
  fc
    .string({ unit: fc.constantFrom(...ALNUM), minLength: length, maxLength: length })
    .map((body) => prefix + body);
/** Values of realistic shapes: random passwords and keys, and the vendor token formats. */
const secretValue = fc.oneof(
  { weight: 3, arbitrary: randomValue },
  token('ghp_', 36),
  token('sk-ant-api03-', 48),
  token('sk-proj-', 40),
  fc
    .string({
      unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
      minLength: 16,
      maxLength: 16,
    })
    .map((s) => `AKIA${s}`),
  token('xoxb-', 24),
  fc.tuple(token('', 20), token('', 30), token('', 24)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`),
);

const keyName = fc
  .tuple(
    fc.constantFrom('', 'DB_', 'APP_', 'STRIPE_', 'SERVICE_', 'PROD_DB_'),
    fc.constantFrom(
      'PASSWORD',
      'API_KEY',
      'SECRET_TOKEN',
      'ACCESS_TOKEN',
      'CLIENT_SECRET',
      'SECRET',
      'AUTH_TOKEN',
    ),
  )
  .map(([prefix, word]) => prefix + word);

const camel = (name: string) =>
  name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** How a file writes `KEY` = `value`. */
const FORMS: Record<string, (key: string, value: string) => string> = {
  env: (k, v) => `${k}=${v}`,
  export: (k, v) => `export ${k}=${v}`,
  indented: (k, v) => `    ${k}=${v}`,
  doubleQuoted: (k, v) => `${k}="${v}"`,
  singleQuoted: (k, v) => `${k}='${v}'`,
  json: (k, v) => `  "${k.toLowerCase()}": "${v}",`,
  jsonCamel: (k, v) => `{"${camel(k)}":"${v}"}`,
  yaml: (k, v) => `  ${k.toLowerCase()}: ${v}`,
  yamlUpper: (k, v) => `      ${k}: ${v}`,
  yamlQuoted: (k, v) => `${camel(k)}: '${v}'`,
};

/** Lines that hold no secret and must reach the model as they are. */
const PLAIN = [
  'PORT=3000',
  'DEBUG=true',
  'password_min_length: 8',
  'TOKEN_URL=https://auth.example/t',
];

const entry = fc.record({
  key: keyName,
  value: secretValue,
  form: fc.constantFrom(...Object.keys(FORMS)),
});

/** Every file under `dir` but the workspaces, as raw bytes. */
function filesUnder(dir: string, skip: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const item of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const path = join(item.parentPath, item.name);
    if (item.isFile() && !path.startsWith(skip)) files.set(relative(dir, path), readFileSync(path));
  }
  return files;
}

/** Records the agent's terminal the way the app does: PTY output on an event bus, into a ScrollbackRecorder. */
function recordTerminal(harness: Harness, redactor: Redactor): ScrollbackRecorder {
  const bus = new EventBus();
  const recorder = new ScrollbackRecorder(bus, harness.dataDir, redactor);
  harness.ptys.onDidOpen((session) => {
    const agent = { id: SCROLLBACK_AGENT, ptyId: session.id } as AgentSummary;
    bus.publish('agent.state', {
      agentId: SCROLLBACK_AGENT,
      state: 'running',
      reason: null,
      agent,
    });
    session.onData((output) =>
      bus.publish('pty.data', { id: session.id, seq: output.seq, data: output.data }),
    );
    session.onExit(({ exitCode, signal }) =>
      bus.publish('pty.exit', { id: session.id, exitCode, signal }),
    );
  });
  return recorder;
}

const bash = (command: string) => ({ name: 'bash', input: { command } });
const view = (path: string) => ({
  name: 'str_replace_based_edit_tool',
  input: { command: 'view', path },
});

test('no generated secret reaches the model, the database, the token cache, the events or the terminal record', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(entry, { minLength: 1, maxLength: 3, selector: (e) => e.value }),
      async (entries) => {
        const dataDir = realpathSync(mkdtempSync(join(tmpdir(), 'troika-redaction-')));
        const redactor = new Redactor();
        const harness = await Harness.start({
          dataDir,
          server: {
            script: [
              { toolUses: [view('config/app.env')] },
              { toolUses: [bash('cat -n config/app.env')] },
              { toolUses: [bash("grep -n -H '' config/app.env")] },
              { toolUses: [{ name: 'search_files', input: { pattern: '.', path: 'config' } }] },
              // The bare values, with no key beside them: hidden because they were seen with one.
              { toolUses: [view('config/notes.txt')] },
              { toolUses: [bash('cat config/notes.txt')] },
              { text: 'Done.' },
            ],
          },
          hooks: { redactor },
        });
        const recorder = recordTerminal(harness, redactor);
        let files: Map<string, Buffer>;
        try {
          const ws = harness.folder('ws');
          mkdirSync(join(ws, 'config'));
          const lines = [
            PLAIN[0],
            ...entries.map((e) => FORMS[e.form]!(e.key, e.value)),
            ...PLAIN.slice(1),
          ];
          writeFileSync(join(ws, 'config', 'app.env'), `${lines.join('\n')}\n`);
          writeFileSync(
            join(ws, 'config', 'notes.txt'),
            entries.map((e) => `${e.value}\nthe one in use is ${e.value} today`).join('\n') + '\n',
          );

          const { id } = await harness.manager.start({ task: 'read the config', workspace: ws });
          await harness.waitForState(id, 'done');
          harness.store.events.flush();
          // While the database is open: its WAL still exists.
          files = filesUnder(dataDir, harness.root);
        } finally {
          await harness.dispose();
          recorder.dispose();
        }
        for (const [name, bytes] of filesUnder(dataDir, harness.root))
          files.set(`${name} (closed)`, bytes);

        try {
          const requests = JSON.stringify(harness.server.messageRequests.map((r) => r.body));
          const events = JSON.stringify(harness.events);
          const terminal =
            [...files]
              .find(([name]) => name.startsWith(`agents/${SCROLLBACK_AGENT}/terminal.log`))?.[1]
              .toString('utf8') ?? '';
          // The paths were exercised: the tools' output reached each sink, redacted.
          const results = [1, 2, 3, 4, 5, 6].map((i) =>
            resultText(harness.toolResults(i)[0]?.content),
          );
          for (const result of results) assert.match(result, /\[REDACTED:/);
          for (const plain of PLAIN) assert.ok(results[0]!.includes(plain), `${plain} kept`);
          assert.match(terminal, /cat -n config\/app\.env[\s\S]*\[REDACTED:/);
          assert.ok(
            [...files.keys()].some((name) => name.startsWith('troika.db') || name.endsWith('-wal')),
          );
          assert.ok(
            [...files.keys()].some((name) => name.startsWith('cache')),
            'the token cache wrote its cold tier',
          );

          for (const { value } of entries) {
            assert.equal(requests.includes(value), false, 'in a model request');
            assert.equal(events.includes(value), false, 'in an event');
            for (const [name, bytes] of files)
              assert.equal(bytes.includes(value), false, `in ${name}`);
          }
        } finally {
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    ),
    // Shrinking would start an agent per step: the first counterexample is reported as found.
    { numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  );
});
