/**
 * The Anthropic API key in the desktop app: encrypted with Electron's
 * `safeStorage` (the OS keychain: Keychain, DPAPI, libsecret) and written only
 * as ciphertext, with owner-only permissions. Never logged, never sent to the
 * renderer.
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** The part of Electron's `safeStorage` this store uses. */
export interface SecretCipher {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Keys are long printable tokens; anything with whitespace or control characters is a paste accident. */
const KEY_PATTERN = /^[\x21-\x7e]{20,512}$/;

export class ApiKeyStore {
  readonly #file: string;
  readonly #cipher: SecretCipher;

  constructor(file: string, cipher: SecretCipher) {
    this.#file = file;
    this.#cipher = cipher;
  }

  /** The stored key, or undefined when none is stored or it cannot be decrypted on this machine. */
  get(): string | undefined {
    if (!existsSync(this.#file) || !this.#cipher.isEncryptionAvailable()) return undefined;
    try {
      return this.#cipher.decryptString(readFileSync(this.#file));
    } catch {
      return undefined;
    }
  }

  set(key: string): void {
    if (!KEY_PATTERN.test(key))
      throw new Error(
        'That does not look like an API key (20–512 printable characters, no spaces)',
      );
    if (!this.#cipher.isEncryptionAvailable()) {
      throw new Error(
        'The OS keychain is not available, so the key cannot be stored safely; set ANTHROPIC_API_KEY instead',
      );
    }
    mkdirSync(dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.tmp`;
    writeFileSync(temporary, this.#cipher.encryptString(key), { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.#file);
  }

  clear(): void {
    rmSync(this.#file, { force: true });
  }
}
