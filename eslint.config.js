// Lint, and the layer rules of DESIGN.md: frontend/ imports no Node built-in
// and no electron; cache/ imports nothing from backend/, frontend/ or
// electron/; backend/ imports no electron. A violation fails `npm test`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const electronPackage = { name: 'electron', message: 'Only electron/ may import electron.' };
const builtinPaths = nodeBuiltins.map((name) => ({
  name,
  message: 'This layer runs in the browser: no Node built-ins.',
}));

const folder = (name, why) => ({ group: [`**/${name}/**`, `${name}/**`], message: why });

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.angular/**',
      '.tools/**',
      'node_modules/**',
      'test-results/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['frontend/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronPackage, ...builtinPaths],
          patterns: [
            folder('electron', 'The renderer reaches Electron only through the preload bridge.'),
            folder('cache', 'The renderer talks to the backend only through the protocol.'),
            folder('native', 'The renderer talks to the backend only through the protocol.'),
            {
              regex: 'backend/(?!protocol/)',
              message: 'The renderer may import only backend/protocol/.',
            },
            {
              regex: 'backend/protocol/(?!(bridge|frames|slots)\\.ts$|payloads/)',
              allowTypeImports: true,
              message:
                'Import protocol types only (import type), so zod stays out of the browser bundle; bridge.ts, frames.ts and slots.ts are plain code, payloads/ uses zod/mini.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cache/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [
            folder('backend', 'cache/ is a library: it knows nothing of agents or transports.'),
            folder('frontend', 'cache/ is a library: it knows nothing of the UI.'),
            folder('electron', 'cache/ is a library: it knows nothing of the desktop shell.'),
          ],
        },
      ],
    },
  },
  {
    files: ['backend/**/*.ts', 'native/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronPackage],
          patterns: [
            folder('frontend', 'The backend never imports the UI.'),
            folder('electron', 'The backend runs without Electron (web mode).'),
          ],
        },
      ],
    },
  },
  {
    // The protocol is imported by the renderer: it must not depend on Node (its tests run in Node).
    files: ['backend/protocol/**/*.ts'],
    ignores: ['backend/protocol/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronPackage, ...builtinPaths],
          patterns: [
            folder('frontend', 'The backend never imports the UI.'),
            folder('electron', 'The backend runs without Electron.'),
          ],
        },
      ],
    },
  },
  {
    // The renderer loads payloads/ at runtime to check what it receives: only
    // zod/mini (tree-shakable) and other payloads/ files, never the full zod.
    files: ['backend/protocol/payloads/**/*.ts'],
    ignores: ['backend/protocol/**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            electronPackage,
            ...builtinPaths,
            { name: 'zod', message: 'The browser loads payloads/: use zod/mini.' },
          ],
          patterns: [
            folder('frontend', 'The backend never imports the UI.'),
            folder('electron', 'The backend runs without Electron.'),
            {
              regex: '^\\.\\./',
              allowTypeImports: true,
              message: 'The browser loads payloads/: import only types from outside it.',
            },
          ],
        },
      ],
    },
  },
);
