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
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/server', '**/server/**'], message: 'Dependencies point one way: server → bot → dialogs → core.' }] },
      ],
    },
  },
  {
    // Dialogs and cards never reach up into the bot or the server.
    files: ['dialogs/**/*.ts', 'cards/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/bot', '**/src/bot/**', '**/src/server', '**/src/server/**'],
              message: 'Dependencies point one way: server → bot → dialogs → core.',
            },
          ],
        },
      ],
    },
  },
);
