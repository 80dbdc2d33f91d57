import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import test from 'node:test';
import { SYNC_READ_MAX_BYTES } from '../limits.ts';
import { tempDir } from '../test-support/temp.ts';
import { hashBytes, hashFileStreaming, hashFolder, hashLink, hashRegularFile } from './hash.ts';

test('a streamed large file hashes the same as the same bytes in memory', async (t) => {
  const dir = tempDir(t);
  const content = Buffer.alloc(SYNC_READ_MAX_BYTES * 5 + 123, 'abc');
  const file = path.join(dir, 'big.txt');
  writeFileSync(file, content);
  const streamed = await hashFileStreaming(file);
  assert.equal(streamed.hash, hashBytes(content).hash);
  assert.equal(streamed.size, content.length);
});

test('small files read synchronously hash like the streaming path', async (t) => {
  const dir = tempDir(t);
  const file = path.join(dir, 'a.txt');
  writeFileSync(file, 'hello');
  assert.equal((await hashRegularFile(file))?.hash, (await hashFileStreaming(file)).hash);
});

test('binary content is detected by a NUL byte and hashed as raw bytes', () => {
  const binary = hashBytes(Buffer.from([0x89, 0x50, 0x00, 0x47]));
  assert.equal(binary.binary, true);
  assert.equal(hashBytes(Buffer.from('plain text\n')).binary, false);
  assert.notEqual(hashBytes(Buffer.from('a\r\n')).hash, hashBytes(Buffer.from('a\n')).hash);
});

test('files, folders and links never share a hash even for the same bytes', () => {
  const text = 'x';
  const asFile = hashBytes(Buffer.from(text)).hash;
  const asLink = hashLink(text);
  const asFolder = hashFolder([]);
  assert.equal(new Set([asFile, asLink, asFolder]).size, 3);
});

test('a folder hash depends on child names, kinds and hashes', () => {
  const base = hashFolder([{ name: 'a', kind: 'file', hash: 'h1' }]);
  assert.notEqual(hashFolder([{ name: 'b', kind: 'file', hash: 'h1' }]), base);
  assert.notEqual(hashFolder([{ name: 'a', kind: 'folder', hash: 'h1' }]), base);
  assert.notEqual(hashFolder([{ name: 'a', kind: 'file', hash: 'h2' }]), base);
  assert.equal(hashFolder([{ name: 'a', kind: 'file', hash: 'h1' }]), base);
});

test('hashRegularFile reads small and large files alike and refuses a symlink', async (t) => {
  const dir = tempDir(t);
  const small = path.join(dir, 'small.txt');
  const large = path.join(dir, 'large.bin');
  writeFileSync(small, 'hello');
  const content = Buffer.alloc(SYNC_READ_MAX_BYTES * 2, 7);
  writeFileSync(large, content);
  assert.equal((await hashRegularFile(small))?.hash, hashBytes(Buffer.from('hello')).hash);
  assert.equal((await hashRegularFile(large))?.hash, hashBytes(content).hash);
  if (process.platform !== 'win32') {
    symlinkSync(small, path.join(dir, 'link'));
    await assert.rejects(hashRegularFile(path.join(dir, 'link')), { code: 'ELOOP' });
  }
});
