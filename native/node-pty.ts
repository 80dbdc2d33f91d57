/** node-pty, loaded through {@link loadNative} so a broken install names its fix. */
import type * as NodePty from 'node-pty';
import { loadNative } from './load.ts';

export type { IPty, IPtyForkOptions, IWindowsPtyForkOptions } from 'node-pty';

let cached: typeof NodePty | undefined;

export function loadNodePty(): typeof NodePty {
  cached ??= loadNative<typeof NodePty>('node-pty');
  return cached;
}
