import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMenuTemplate } from './menu.ts';

const noop = { openDataFolder: () => {} };

test('macOS gets the app menu and the usual edit and window roles', () => {
  const template = buildMenuTemplate('darwin', noop);
  assert.equal(template[0]?.role, 'appMenu');
  assert.ok(template.some((item) => item.role === 'editMenu'));
  assert.ok(template.some((item) => item.role === 'windowMenu'));
});

test('Windows and Linux quit from the File menu and have no app menu', () => {
  const template = buildMenuTemplate('win32', noop);
  assert.equal(
    template.some((item) => item.role === 'appMenu'),
    false,
  );
  const file = template.find((item) => item.label === 'File');
  assert.ok(Array.isArray(file?.submenu) && file.submenu.some((item) => item.role === 'quit'));
});
