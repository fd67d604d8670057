// Lint rules for the whole workspace. The module-boundary constraints encode
// DESIGN.md §1: apps compose domains and platform; domains use platform and
// other domains' public index; platform uses only platform; core uses nothing
// of ours.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export const boundaryConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform'] },
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
];

// Domains whose entities ALL_ENTITIES lists. That registry
// (libs/storage-models/src/all-entities.ts) is the one place a platform library
// imports domains, which makes storage-models <-> domain a known, accepted cycle.
export const ENTITY_DOMAINS = ['auth', 'rebac', 'jobs', 'filesystem'];

const boundaryRule = (depConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: true,
    allow: [],
    ignoredCircularDependencies: ENTITY_DOMAINS.map((domain) => ['storage-models', domain]),
    depConstraints,
  },
];

export default tseslint.config(
  { ignores: ['tools/lint/fixtures/**', '**/node_modules', '**/dist', '**/.nx', '**/.nexus', '**/reports', '**/*.js', '**/*.mjs'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@nx/enforce-module-boundaries': boundaryRule(boundaryConstraints),
      // Relative imports never leave a project: cross-project imports use @nexus/* aliases.
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../../../*', '**/libs/*', '**/apps/*'], message: 'Import other projects through their @nexus/<lib> alias.' }] },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'separate-type-imports', disallowTypeAnnotations: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Specs may use jest's loosely typed helpers.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The ALL_ENTITIES registry: the only platform file allowed to import domains.
    files: ['libs/storage-models/src/all-entities.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaryRule([
        { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:domain'] },
      ]),
    },
  },
  prettier,
);
