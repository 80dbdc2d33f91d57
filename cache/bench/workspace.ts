/**
 * A generated workspace for benchmarks: a given number of files and bytes in
 * a folder tree shaped like a real repository (nested folders of ~100 files),
 * mostly small text files plus a few large and binary ones.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WorkspaceShape {
  readonly files: number;
  readonly bytes: number;
  /** Files above 1 MiB, to exercise the streaming path. */
  readonly largeFiles: number;
}

export interface GeneratedWorkspace {
  readonly files: readonly string[];
  readonly bytes: number;
}

const FILES_PER_FOLDER = 100;
const FOLDERS_PER_FOLDER = 10;
const LARGE_FILE_BYTES = 1024 * 1024;

/** Text-like content: base64 of random bytes, cut into lines. */
function textOf(size: number): Buffer {
  const text = randomBytes(Math.ceil((size * 3) / 4))
    .toString('base64')
    .slice(0, size);
  const buffer = Buffer.from(text);
  for (let i = 80; i < buffer.length; i += 81) buffer[i] = 10;
  return buffer;
}

/** Write the workspace under `root` (which must exist); returns the relative file paths. */
export function generateWorkspace(root: string, shape: WorkspaceShape): GeneratedWorkspace {
  const smallFiles = shape.files - shape.largeFiles;
  const smallBytes = shape.bytes - shape.largeFiles * LARGE_FILE_BYTES;
  const averageSmall = Math.floor(smallBytes / smallFiles);
  const largeEvery = Math.max(1, Math.floor(shape.files / Math.max(1, shape.largeFiles)));
  const files: string[] = [];
  let bytes = 0;
  writeFileSync(path.join(root, '.gitignore'), 'dist/\n*.log\n');
  for (let index = 0; index < shape.files; index++) {
    const folderIndex = Math.floor(index / FILES_PER_FOLDER);
    const folder = `pkg${Math.floor(folderIndex / FOLDERS_PER_FOLDER)}/src${folderIndex % FOLDERS_PER_FOLDER}`;
    mkdirSync(path.join(root, folder), { recursive: true });
    const large =
      shape.largeFiles > 0 && index % largeEvery === 0 && index / largeEvery < shape.largeFiles;
    // Sizes spread from half to one and a half times the average, like real source files.
    const size = large
      ? LARGE_FILE_BYTES
      : Math.floor(averageSmall * (0.5 + ((index * 7919) % 1000) / 1000));
    const binary = index % 50 === 1;
    const relative = `${folder}/file${index}.${binary ? 'bin' : 'ts'}`;
    const content = binary ? randomBytes(size) : textOf(size);
    writeFileSync(path.join(root, relative), content);
    files.push(relative);
    bytes += size;
  }
  return { files, bytes };
}
