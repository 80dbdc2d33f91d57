/**
 * Anthropic's client tools (bash, the text editor) are declared by type
 * alone: the model knows their input schema. Another provider's model needs
 * it spelled out, so these are their documented inputs as JSON Schema
 * (https://docs.claude.com/en/docs/agents-and-tools/tool-use/bash-tool,
 * …/text-editor-tool). The tool implementations validate the input anyway.
 */

interface FunctionSpec {
  description: string;
  parameters: Record<string, unknown>;
}

const BASH: FunctionSpec = {
  description:
    'Run a command in a persistent bash shell (state such as the working directory and variables persists between calls). Returns its output and exit code.',
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'string', description: 'The bash command to run.' },
      restart: { type: 'boolean', description: 'Restart the shell instead of running a command.' },
    },
  },
};

const TEXT_EDITOR: FunctionSpec = {
  description:
    'View, create and edit files. view: show a file with line numbers (or list a directory); create: write a new file; str_replace: replace one unique occurrence of old_str with new_str; insert: insert text after line insert_line (0 for the top).',
  parameters: {
    type: 'object',
    properties: {
      command: { type: 'string', enum: ['view', 'create', 'str_replace', 'insert'] },
      path: {
        type: 'string',
        description: 'Path of the file or directory, relative to the workspace.',
      },
      view_range: {
        type: 'array',
        items: { type: 'integer' },
        minItems: 2,
        maxItems: 2,
        description: 'view: [first line, last line]; -1 as the last means the end.',
      },
      file_text: { type: 'string', description: 'create: the whole file.' },
      old_str: {
        type: 'string',
        description: 'str_replace: the exact text to replace (unique in the file).',
      },
      new_str: { type: 'string', description: 'str_replace: the replacement.' },
      insert_line: { type: 'integer', description: 'insert: the line after which to insert.' },
      insert_text: { type: 'string', description: 'insert: the text to insert.' },
    },
    required: ['command', 'path'],
  },
};

/** The function spec for an Anthropic-defined tool type (`bash_20250124`, `text_editor_20250728`, …), or undefined. */
export function anthropicToolSpec(type: string): FunctionSpec | undefined {
  if (type.startsWith('bash_')) return BASH;
  if (type.startsWith('text_editor_')) return TEXT_EDITOR;
  return undefined;
}
