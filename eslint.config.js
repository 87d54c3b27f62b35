import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const ACTIONS = ['go-quality-gate', 'multiarch-build', 'semver-release', 'setup-go-matrix', 'sign-attest'];

const noShellExec = {
  name: 'child_process',
  importNames: ['exec', 'execSync'],
  message: 'argv arrays only: use run() from @goship/core/exec',
};
const nodeNoShellExec = { ...noShellExec, name: 'node:child_process' };
const runnerApis = ['@actions/core', '@actions/core/*'].map((name) => ({
  group: [name],
  message:
    'Only the runner boundary (packages/core/src/action/runner.ts) talks to the runner: take the ActionContext (ctx.log, ctx.outputs, ctx.summary …) or currentPort().',
}));
const testkit = {
  group: ['@goship/testkit', '@goship/testkit/*', '**/testkit/src/*'],
  message: 'Shipped code never imports the test kit.',
};
const otherAction = (self) =>
  ACTIONS.filter((a) => a !== self).map((a) => ({
    group: [`@goship/${a}`, `@goship/${a}/*`, `**/actions/${a}/**`, `../../${a}/**`, `../${a}/**`],
    message: 'An action never imports another action: move what both need into packages/core.',
  }));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.tools/**', 'fixtures/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      ecmaVersion: 2023,
      sourceType: 'module',
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bench/*/*.mjs', 'scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-restricted-imports': ['error', { paths: [noShellExec, nodeNoShellExec] }],
      'no-restricted-syntax': [
        'error',
        { selector: "Property[key.name='shell'][value.value=true]", message: 'No shell: pass argv arrays.' },
      ],
    },
  },
  // Tests and test helpers read JSON documents of other tools' shapes: `any` is their daily bread.
  {
    files: ['**/test/**/*.ts', 'packages/testkit/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
    },
  },
  // Plain JavaScript (scripts, benchmarks, configs) is not type-checked.
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  // Shipped code: core and the actions' sources.
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/action/runner.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noShellExec, nodeNoShellExec],
          patterns: [...runnerApis, testkit, { group: ['**/actions/**', '@goship/*-*'], message: 'Core never imports an action.' }],
        },
      ],
    },
  },
  ...ACTIONS.map((a) => ({
    files: [`actions/${a}/src/**/*.ts`],
    rules: {
      'no-restricted-imports': ['error', { paths: [noShellExec, nodeNoShellExec], patterns: [...runnerApis, testkit, ...otherAction(a)] }],
    },
  })),
);
