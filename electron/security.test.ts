import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  isAllowedExternalUrl,
  isTrustedSender,
  resolveAppFile,
} from './security.ts';

test('only the app main frame is a trusted IPC sender', () => {
  assert.equal(isTrustedSender(APP_ENTRY_URL, true), true);
  assert.equal(isTrustedSender(APP_ENTRY_URL, false), false, 'a subframe of the app');
  assert.equal(isTrustedSender('https://evil.example/', true), false);
  assert.equal(isTrustedSender('file:///etc/passwd', true), false);
  assert.equal(isTrustedSender('app://other/index.html', true), false);
  assert.equal(isTrustedSender(undefined, true), false);
});

test('only http(s) links may open externally', () => {
  assert.equal(isAllowedExternalUrl('https://docs.anthropic.com/'), true);
  assert.equal(isAllowedExternalUrl('http://localhost:3000/'), true);
  for (const url of [
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://user:pw@host/',
    'not a url',
  ]) {
    assert.equal(isAllowedExternalUrl(url), false, url);
  }
});

test('app:// URLs map to files inside the app folder and never outside it', () => {
  const root = join('/opt', 'troika', 'web');
  assert.equal(resolveAppFile(root, 'app://troika/main-abc.js'), join(root, 'main-abc.js'));
  assert.equal(resolveAppFile(root, 'app://troika/'), join(root, 'index.html'));
  assert.equal(
    resolveAppFile(root, 'app://troika/..%2f..%2fetc%2fpasswd'),
    join(root, 'etc', 'passwd'),
  );
  assert.equal(resolveAppFile(root, 'app://other/main.js'), undefined);
  assert.equal(resolveAppFile(root, 'app://troika/%00'), undefined);
  assert.equal(resolveAppFile(root, 'https://troika/main.js'), undefined);
});

test('the Content-Security-Policy allows only the app itself to run code', () => {
  assert.match(CONTENT_SECURITY_POLICY, /script-src 'self'(;|$)/);
  assert.match(CONTENT_SECURITY_POLICY, /object-src 'none'/);
  assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-eval/);
});
