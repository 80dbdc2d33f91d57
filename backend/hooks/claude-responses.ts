/**
 * A tool's result as Claude Code's PostToolUse `tool_response` has it, per
 * tool, so a script reading `.tool_response.filePath` (Write, Edit),
 * `.tool_response.file.content` (Read), `.tool_response.stdout` (Bash) or
 * `.tool_response.filenames` (Grep) finds what it expects. Troika's own
 * `content`, `is_error` and `success` are kept beside those fields for
 * scripts written against Troika.
 *
 * Troika's tools answer in text, so some of Claude Code's fields are
 * derived from it (Grep's file names from its `path:line:` lines) or fixed
 * (Bash's `stderr` is empty: the terminal interleaves both streams into
 * `stdout`; Edit's `structuredPatch` is empty).
 */
import { isAbsolute, resolve } from 'node:path';
import {
  BASH_TOOL_NAME,
  EDITOR_TOOL_NAME,
  LIST_TOOL_NAME,
  SEARCH_TOOL_NAME,
} from '../protocol/tool-names.ts';

type Input = Record<string, unknown>;

function asInput(value: unknown): Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Input)
    : {};
}

function filePath(input: Input, cwd: string): string {
  const path = typeof input['path'] === 'string' ? input['path'] : '.';
  return isAbsolute(path) ? path : resolve(cwd, path);
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.replace(/\n$/, '').split('\n').length;
}

function perTool(
  toolName: string,
  input: Input,
  content: string,
  cwd: string,
): Record<string, unknown> {
  switch (toolName) {
    case BASH_TOOL_NAME:
      return { stdout: content, stderr: '', interrupted: false, isImage: false };
    case LIST_TOOL_NAME:
      return { path: filePath(input, cwd) };
    case SEARCH_TOOL_NAME: {
      const filenames = [
        ...new Set(
          content
            .split('\n')
            .map((line) => /^(.+?):\d+:/.exec(line)?.[1])
            .filter((name): name is string => name !== undefined),
        ),
      ].map((name) => (isAbsolute(name) ? name : resolve(cwd, name)));
      return {
        mode: 'content',
        numFiles: filenames.length,
        filenames,
        numLines: lineCount(content),
      };
    }
    case EDITOR_TOOL_NAME: {
      const path = filePath(input, cwd);
      switch (input['command']) {
        case 'view': {
          const range = input['view_range'];
          const startLine = Array.isArray(range) && typeof range[0] === 'number' ? range[0] : 1;
          return {
            type: 'text',
            file: { filePath: path, content, numLines: lineCount(content), startLine },
          };
        }
        case 'create':
          return {
            type: 'create',
            filePath: path,
            content: input['file_text'] ?? '',
            structuredPatch: [],
          };
        case 'str_replace':
        case 'insert':
          return {
            filePath: path,
            oldString: input['old_str'] ?? '',
            newString: input['new_str'] ?? input['insert_text'] ?? '',
            replaceAll: false,
            userModified: false,
            structuredPatch: [],
          };
      }
    }
  }
  return {};
}

/** The `tool_response` for a Troika call's result, in Claude Code's shape for its tool. */
export function toClaudeResponse(
  toolName: string,
  toolInput: unknown,
  output: { readonly content: string; readonly isError: boolean },
  cwd: string,
): Record<string, unknown> {
  const shaped = output.isError ? {} : perTool(toolName, asInput(toolInput), output.content, cwd);
  return {
    ...shaped,
    content: output.content,
    is_error: output.isError,
    success: !output.isError,
  };
}
