import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { resolveHooksFile, resolvePersonasDir } from './hooks-config.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'troika-hooks-config-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

describe('where the hooks and personas are', () => {
  test('no setting, no variable and no file: no hooks', () => {
    assert.deepEqual(resolveHooksFile(dataDir, {}), { file: undefined, required: false });
  });

  test('TROIKA_HOOKS_FILE names the file, which must then exist', () => {
    assert.deepEqual(resolveHooksFile(dataDir, { TROIKA_HOOKS_FILE: '/p/.claude/settings.json' }), {
      file: '/p/.claude/settings.json',
      required: true,
    });
  });

  test('the setting wins over the variable', () => {
    assert.equal(
      resolveHooksFile(dataDir, { TROIKA_HOOKS_FILE: '/env.json' }, '/chosen.json').file,
      '/chosen.json',
    );
  });

  test('hooks.json in the data folder is used when it exists, before settings.json', () => {
    writeFileSync(join(dataDir, 'settings.json'), '{}');
    assert.equal(resolveHooksFile(dataDir, {}).file, join(dataDir, 'settings.json'));
    writeFileSync(join(dataDir, 'hooks.json'), '{}');
    assert.deepEqual(resolveHooksFile(dataDir, {}), {
      file: join(dataDir, 'hooks.json'),
      required: false,
    });
  });

  test('personas: the setting, else TROIKA_PERSONAS_DIR, else <dataDir>/personas', () => {
    assert.equal(resolvePersonasDir(dataDir, {}), join(dataDir, 'personas'));
    assert.equal(resolvePersonasDir(dataDir, { TROIKA_PERSONAS_DIR: '/mine' }), '/mine');
    assert.equal(
      resolvePersonasDir(dataDir, { TROIKA_PERSONAS_DIR: '/mine' }, '/chosen'),
      '/chosen',
    );
  });
});
