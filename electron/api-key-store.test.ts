import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  ApiKeyStore,
  NO_KEYCHAIN_MESSAGE,
  NO_LINUX_KEYRING_MESSAGE,
  type SecretCipher,
} from './api-key-store.ts';

type Backend = ReturnType<SecretCipher['getSelectedStorageBackend']>;

/**
 * A real AES-256-GCM cipher in place of the OS keychain, which needs Electron
 * and a desktop session; typed as Electron's `safeStorage`, so it answers
 * what the real one does.
 */
function aesCipher(available = true, backend: Backend = 'gnome_libsecret'): SecretCipher {
  const key = randomBytes(32);
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
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
  const file = join(dir, 'nokeychain.bin');
  const store = new ApiKeyStore(file, aesCipher(false), 'darwin');
  assert.throws(() => store.set(KEY), { message: NO_KEYCHAIN_MESSAGE });
  assert.equal(store.get(), undefined);
  assert.equal(existsSync(file), false);
});

test('on Linux, the plain-text basic_text backend is refused, saying how to get a keyring', () => {
  const file = join(dir, 'basic-text.bin');
  // What Electron reports with no keyring: encryption "available", backend basic_text.
  const store = new ApiKeyStore(file, aesCipher(true, 'basic_text'), 'linux');
  assert.throws(() => store.set(KEY), { message: NO_LINUX_KEYRING_MESSAGE });
  assert.equal(existsSync(file), false, 'nothing was written');
  assert.match(NO_LINUX_KEYRING_MESSAGE, /gnome-keyring or KWallet/);
  assert.match(NO_LINUX_KEYRING_MESSAGE, /--password-store=gnome-libsecret/);
  assert.match(NO_LINUX_KEYRING_MESSAGE, /ANTHROPIC_API_KEY/);
});

test("the OpenAI-compatible provider's store points to its own variable when it refuses", () => {
  const file = join(dir, 'openai-basic-text.bin');
  const store = new ApiKeyStore(
    file,
    aesCipher(true, 'basic_text'),
    'linux',
    'TROIKA_OPENAI_API_KEY',
  );
  assert.throws(() => store.set(KEY), /set the TROIKA_OPENAI_API_KEY environment variable instead/);
  assert.equal(existsSync(file), false);
});

test('on Linux, unavailable encryption gets the keyring advice too', () => {
  const store = new ApiKeyStore(join(dir, 'linux-none.bin'), aesCipher(false, 'unknown'), 'linux');
  assert.throws(() => store.set(KEY), { message: NO_LINUX_KEYRING_MESSAGE });
});

test('on Linux, a real keyring backend (KWallet, libsecret) stores the key', () => {
  for (const backend of ['kwallet6', 'gnome_libsecret'] as const) {
    const store = new ApiKeyStore(join(dir, `${backend}.bin`), aesCipher(true, backend), 'linux');
    store.set(KEY);
    assert.equal(store.get(), KEY);
  }
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
