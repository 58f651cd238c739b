import tseslint from 'typescript-eslint';

/** botbuilder's internals go through src/bot/sdkInternals.ts and dialogs/sdk.ts only, where a test pins them. */
const sdkDeepImports = {
  group: ['botbuilder/lib/**', 'botbuilder-*/lib/**', 'botframework-*/lib/**'],
  message: 'Deep imports of botbuilder go through src/bot/sdkInternals.ts (or dialogs/sdk.ts), pinned by test/sdkInternals.test.ts.',
};
const upward = (group) => ({ group, message: 'Dependencies point one way: server → bot → dialogs → core.' });

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
    // The domain core must not depend on botbuilder or on any layer above it: dialogs, cards, the bot, the server.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'botbuilder',
                'botbuilder-*',
                'botframework-*',
                'restify',
                '**/dialogs',
                '**/dialogs/**',
                '**/cards',
                '**/cards/**',
                '**/bot',
                '**/bot/**',
                '**/server',
                '**/server/**',
              ],
              message: 'The domain core stays free of botbuilder and the layers above it.',
            },
          ],
        },
      ],
    },
  },
  {
    // The bot never reaches up into the server that hosts it.
    files: ['src/bot/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [upward(['**/server', '**/server/**']), sdkDeepImports] }],
    },
  },
  {
    // Dialogs and cards never reach up into the bot or the server.
    files: ['dialogs/**/*.ts', 'cards/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [upward(['**/src/bot', '**/src/bot/**', '**/src/server', '**/src/server/**']), sdkDeepImports],
        },
      ],
    },
  },
  {
    files: ['src/server/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [sdkDeepImports] }] },
  },
  {
    // The two modules that hold the deep imports.
    files: ['src/bot/sdkInternals.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [upward(['**/server', '**/server/**'])] }] },
  },
  {
    files: ['dialogs/sdk.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [upward(['**/src/bot', '**/src/bot/**', '**/src/server', '**/src/server/**'])] }],
    },
  },
);
