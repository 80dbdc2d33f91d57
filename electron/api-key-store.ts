/**
 * An API key in the desktop app (Anthropic's, and the OpenAI-compatible
 * provider's in a second file): encrypted with Electron's
 * `safeStorage` (the OS keychain: Keychain, DPAPI, libsecret) and written only
 * as ciphertext, with owner-only permissions. Never logged, never sent to the
 * renderer. On Linux without a keyring, `safeStorage` falls back to its
 * `basic_text` backend, which "encrypts" with a password built into Chromium:
 * the file would be as good as clear text, so the store refuses to write it.
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
import type { SafeStorage } from 'electron';

/** The part of Electron's `safeStorage` this store uses (tests pass a fake of the same type). */
export type SecretCipher = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

export const NO_KEYCHAIN_MESSAGE =
  'The OS keychain is not available, so the key cannot be stored safely; set the ANTHROPIC_API_KEY environment variable instead';

export const NO_LINUX_KEYRING_MESSAGE =
  'No keyring is available (Electron would fall back to its plain-text "basic_text" store), so the key was not saved. ' +
  'Set up a keyring: run Troika in a desktop session with gnome-keyring or KWallet running, ' +
  'or start it with --password-store=gnome-libsecret (or kwallet5, kwallet6); ' +
  'or set the ANTHROPIC_API_KEY environment variable instead';

/** Keys are long printable tokens; anything with whitespace or control characters is a paste accident. */
const KEY_PATTERN = /^[\x21-\x7e]{20,512}$/;

export class ApiKeyStore {
  readonly #file: string;
  readonly #cipher: SecretCipher;
  readonly #platform: NodeJS.Platform;
  readonly #envVar: string;

  /**
   * `platform` is there for tests: `getSelectedStorageBackend` exists on Linux
   * only. `envVar` is the variable the refusals point to instead.
   */
  constructor(
    file: string,
    cipher: SecretCipher,
    platform: NodeJS.Platform = process.platform,
    envVar = 'ANTHROPIC_API_KEY',
  ) {
    this.#file = file;
    this.#cipher = cipher;
    this.#platform = platform;
    this.#envVar = envVar;
  }

  /** Why a key cannot be stored safely on this machine, or undefined when it can. */
  unsafeReason(): string | undefined {
    if (this.#platform === 'linux') {
      // basic_text reports encryption as available; its key is a constant in Chromium.
      if (this.#cipher.getSelectedStorageBackend() === 'basic_text')
        return NO_LINUX_KEYRING_MESSAGE;
      if (!this.#cipher.isEncryptionAvailable()) return NO_LINUX_KEYRING_MESSAGE;
      return undefined;
    }
    return this.#cipher.isEncryptionAvailable() ? undefined : NO_KEYCHAIN_MESSAGE;
  }

  /**
   * The stored key, or undefined when none is stored or it cannot be decrypted
   * on this machine. A key an older version stored under `basic_text` is still
   * read: refusing it would not make the file on disk any safer.
   */
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
    const unsafe = this.unsafeReason();
    if (unsafe !== undefined) throw new Error(unsafe.replace('ANTHROPIC_API_KEY', this.#envVar));
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
