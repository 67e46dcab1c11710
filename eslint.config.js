// Lint: the recommended rules of ESLint, typescript-eslint and eslint-plugin-svelte, minus
// the few that fight this codebase's deliberate style (each one says why). Formatting is
// prettier's job (eslint-config-prettier turns off the rules it would fight).
import js from '@eslint/js';
import ts from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import prettier from 'eslint-config-prettier';
import globals from 'globals';

export default ts.config(
  { ignores: ['dist/', 'node_modules/', 'test-results/', 'playwright-report/', 'bench/dist/', 'datasets/default/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: {
      globals: { ...globals.browser, ...globals.worker, ...globals.node },
    },
    rules: {
      // `_name` marks an argument kept for a signature (kernel functions, callbacks).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The kernels talk to tfjs-wasm internals that have no types; `any` stays visible in review.
      '@typescript-eslint/no-explicit-any': 'off',
      // Two components still copy state in an $effect; the UI rework replaces them (then: 'error').
      'svelte/prefer-writable-derived': 'warn',
      // Flags every Set or Map built in a .svelte.ts file, local temporaries included; reactive
      // collections are a design choice made per field, not a lint.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] },
    },
  },
);
