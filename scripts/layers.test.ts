/** The layer rules of DESIGN.md are lint rules; these tests show each one fires. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: ROOT });

async function restrictedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports')
    .map((m) => m.message);
}

test('frontend/ may not import Node built-ins or electron', async () => {
  const messages = await restrictedImports(
    'frontend/src/app/x.ts',
    "import { readFileSync } from 'node:fs';\nimport { ipcRenderer } from 'electron';\nexport const x = [readFileSync, ipcRenderer];\n",
  );
  assert.equal(messages.length, 2);
});

test('frontend/ may import protocol types but not protocol code (zod stays out of the bundle)', async () => {
  assert.deepEqual(
    await restrictedImports(
      'frontend/src/app/x.ts',
      "import type { EventMap } from '../../../backend/protocol/index.ts';\nexport type X = EventMap;\n",
    ),
    [],
  );
  assert.equal(
    (
      await restrictedImports(
        'frontend/src/app/x.ts',
        "import { methods } from '../../../backend/protocol/index.ts';\nexport const x = methods;\n",
      )
    ).length,
    1,
  );
});

test('cache/ may not import backend/', async () => {
  assert.equal(
    (
      await restrictedImports(
        'cache/x.ts',
        "import { Router } from '../backend/bus/router.ts';\nexport const x = Router;\n",
      )
    ).length,
    1,
  );
});

test('backend/ may not import electron', async () => {
  assert.equal(
    (
      await restrictedImports(
        'backend/x.ts',
        "import { app } from 'electron';\nexport const x = app;\n",
      )
    ).length,
    1,
  );
});
