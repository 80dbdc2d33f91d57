/**
 * Remembers the window's size and position between runs, and never restores a
 * window onto a display that is no longer there.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  bounds: Bounds;
  maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1440, height: 900 } as const;
/** Smaller than this, three agent panels cannot be shown side by side. */
export const MIN_SIZE = { width: 960, height: 600 } as const;
/** How much of the window must overlap a display for its saved position to be kept. */
const MIN_VISIBLE_PX = 100;

const StateSchema = z.object({
  bounds: z.object({
    x: z.number().int(),
    y: z.number().int(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
  }),
  maximized: z.boolean(),
});

export function loadWindowState(file: string): WindowState | undefined {
  try {
    const parsed = StateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(state));
  renameSync(temporary, file);
}

function overlap(a: Bounds, b: Bounds): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/**
 * The bounds to open with: the saved ones when they are still visible on one
 * of `workAreas` (size clamped to it), else the default size centred on the
 * first (primary) work area.
 */
export function restoreBounds(saved: WindowState | undefined, workAreas: Bounds[]): Bounds {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  if (saved) {
    const area = workAreas.find((candidate) => {
      const o = overlap(saved.bounds, candidate);
      return o.width >= MIN_VISIBLE_PX && o.height >= MIN_VISIBLE_PX;
    });
    if (area) {
      return {
        ...saved.bounds,
        width: Math.max(MIN_SIZE.width, Math.min(saved.bounds.width, area.width)),
        height: Math.max(MIN_SIZE.height, Math.min(saved.bounds.height, area.height)),
      };
    }
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width);
  const height = Math.min(DEFAULT_SIZE.height, primary.height);
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
  };
}
