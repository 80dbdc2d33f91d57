import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ApiKeyStore, type SecretCipher } from './api-key-store.ts';

/** A real AES-256-GCM cipher in place of the OS keychain, which needs Electron and a desktop session. */
function aesCipher(available = true): SecretCipher {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    encryptString(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decryptString(data) {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(12, 28));
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'troika-key-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const KEY = 'sk-ant-api03-' + 'A'.repeat(40);

test('a stored key is read back, and the file holds no clear text', () => {
  const file = join(dir, 'key.bin');
  const store = new ApiKeyStore(file, aesCipher());
  store.set(KEY);
  assert.equal(store.get(), KEY);
  assert.equal(readFileSync(file).includes(Buffer.from('sk-ant')), false);
});

test(
  'the key file is readable by its owner only',
  { skip: process.platform === 'win32' ? 'POSIX permissions' : false },
  () => {
    const file = join(dir, 'perm.bin');
    new ApiKeyStore(file, aesCipher()).set(KEY);
    assert.equal(statSync(file).mode & 0o777, 0o600);
  },
);

test('without a keychain the key is refused rather than stored in clear', () => {
  const store = new ApiKeyStore(join(dir, 'nokeychain.bin'), aesCipher(false));
  assert.throws(() => store.set(KEY), /keychain is not available/);
  assert.equal(store.get(), undefined);
});

test('a pasted value with spaces is rejected', () => {
  assert.throws(
    () => new ApiKeyStore(join(dir, 'bad.bin'), aesCipher()).set('sk-ant api key with spaces'),
    /does not look like an API key/,
  );
});

test('a key encrypted on another machine reads as absent, and clear removes it', () => {
  const file = join(dir, 'moved.bin');
  new ApiKeyStore(file, aesCipher()).set(KEY);
  const elsewhere = new ApiKeyStore(file, aesCipher());
  assert.equal(elsewhere.get(), undefined);
  elsewhere.clear();
  assert.equal(new ApiKeyStore(file, aesCipher()).get(), undefined);
});
