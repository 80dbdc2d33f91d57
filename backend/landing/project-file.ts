/**
 * The repository's own Troika settings: `.troika/project.json`, committed
 * with the repository (one file for gates and worktree setup).
 *
 * ```json
 * {
 *   "detect": true,
 *   "gateTimeoutSeconds": 600,
 *   "gates": [
 *     { "name": "test", "command": "npm test -- --reporter=dot", "timeoutSeconds": 900 },
 *     { "name": "lint", "command": null }
 *   ],
 *   "setup": {
 *     "copy": [".env"],
 *     "link": ["node_modules"],
 *     "command": "npm run prepare",
 *     "timeoutSeconds": 600
 *   }
 * }
 * ```
 *
 * A gate whose name matches a detected one replaces it (`command: null`
 * drops it); other gates are added after the detected ones. `detect: false`
 * keeps only the listed gates. For gates the file is read from the target
 * branch, not from the agent's work, so an agent cannot switch its own
 * checks off.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { git, LandingError } from './git.ts';

export const PROJECT_FILE = '.troika/project.json';

/** A path inside the repository: relative, no `..`. */
const RepoPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'), {
    message: 'must be a relative path inside the repository',
  });

const Seconds = z
  .number()
  .positive()
  .max(24 * 3600);

const ProjectFileSchema = z.strictObject({
  detect: z.boolean().default(true),
  gateTimeoutSeconds: Seconds.default(600),
  gates: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(64),
        command: z.string().min(1).max(4000).nullable(),
        timeoutSeconds: Seconds.optional(),
      }),
    )
    .max(50)
    .default([]),
  setup: z
    .strictObject({
      copy: z.array(RepoPath).max(100).default([]),
      link: z.array(RepoPath).max(100).default([]),
      command: z.string().min(1).max(4000).optional(),
      timeoutSeconds: Seconds.default(600),
    })
    .optional(),
});

export type ProjectFile = z.output<typeof ProjectFileSchema>;

export const DEFAULT_PROJECT: ProjectFile = ProjectFileSchema.parse({});

export function parseProjectFile(text: string, where: string): ProjectFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new LandingError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = ProjectFileSchema.safeParse(json);
  if (!parsed.success) throw new LandingError(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The project file as committed at `commit`; null when there is none. */
export async function projectFileAt(repo: string, commit: string): Promise<ProjectFile | null> {
  const result = await git(repo, ['cat-file', '-p', `${commit}:${PROJECT_FILE}`], {
    okCodes: [128],
  });
  if (result.code !== 0) return null;
  return parseProjectFile(result.stdout, `${PROJECT_FILE} at ${commit.slice(0, 12)}`);
}

/** The project file in a checkout (a new worktree); null when there is none. */
export async function projectFileIn(dir: string): Promise<ProjectFile | null> {
  let text: string;
  try {
    text = await readFile(join(dir, PROJECT_FILE), 'utf8');
  } catch {
    return null;
  }
  return parseProjectFile(text, PROJECT_FILE);
}
