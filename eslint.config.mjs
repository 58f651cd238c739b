import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'build/**', '*.js', '*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The domain core must not depend on botbuilder: dialogs, cards and the Teams handler sit on top of it.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['botbuilder', 'botbuilder-*', 'restify', '../../dialogs/*', '../../cards/*', '../bot/*', '../server/*'], message: 'The domain core stays free of botbuilder and the layers above it.' }] },
      ],
    },
  },
  {
    // Dialogs and cards never reach up into the bot or the server.
    files: ['dialogs/**/*.ts', 'cards/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['../src/bot/*', '../src/server/*'], message: 'Dependencies point one way: server → bot → dialogs → core.' }] }],
    },
  },
);
