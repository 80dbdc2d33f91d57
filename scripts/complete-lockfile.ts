/**
 * `node scripts/complete-lockfile.ts` after `npm install`: the npm mirror on
 * the build machines lacks some other-platform optional binaries (e.g.
 * `@oxc-parser/binding-darwin-arm64` at the version Angular's build asks for),
 * so npm leaves them out of package-lock.json and `npm ci` then reports the
 * lock out of sync. This adds an entry for each such package, tagged with its
 * os/cpu so npm skips it on other platforms, exactly as npm would have written
 * it had the manifest been reachable (minus the tarball URL and integrity,
 * which npm fills in wherever the package is really installed).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optionalDependencies?: Record<string, string>;
}

const ROOT = join(import.meta.dirname, '..');
const file = join(ROOT, 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8')) as { packages: Record<string, LockEntry> };

/** Platform triple from a binary package's name, as its own manifest declares it. */
function platformOf(name: string): Pick<LockEntry, 'os' | 'cpu' | 'libc'> | undefined {
  if (name.endsWith('wasm32-wasi')) return { cpu: ['wasm32'] };
  const match =
    /-(android|darwin|freebsd|linux|openharmony|win32)-(arm64|arm|x64|ia32|ppc64|riscv64|s390x)(?:-(gnueabihf|musleabihf|gnu|musl|msvc|eabi))?$/.exec(
      name,
    );
  if (!match) return undefined;
  const [, os, cpu, abi] = match;
  const libc = abi?.startsWith('musl') ? ['musl'] : abi?.startsWith('gnu') ? ['glibc'] : undefined;
  return { os: [os as string], cpu: [cpu as string], ...(libc ? { libc } : {}) };
}

let added = 0;
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    if (lock.packages[target] || lock.packages[`${path}/${target}`]) continue;
    const platform = platformOf(name);
    if (!platform) continue;
    lock.packages[target] = {
      version,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  ),
);
writeFileSync(file, JSON.stringify({ ...lock, packages: sorted }, null, 2) + '\n');
console.log(`complete-lockfile: added ${added} platform-only optional package entries`);
