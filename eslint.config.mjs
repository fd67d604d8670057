// Lint rules for the whole workspace. The module-boundary constraints encode
// docs/ARCHITECTURE.md ("Dependency rules"): apps compose domains and platform;
// domains use platform and other domains' public index; platform uses only
// platform; core uses nothing of ours; the job system knows no domain but auth
// (its routes are guarded) — domains register their job types with it; the event
// relay knows no domain but auth and jobs — domains register their consumers with it.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export const boundaryConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform'] },
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:jobs', onlyDependOnLibsWithTags: ['type:platform', 'scope:auth'] },
  { sourceTag: 'scope:events', onlyDependOnLibsWithTags: ['type:platform', 'scope:auth', 'scope:jobs'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:domain', 'type:platform'] },
];

const boundaryRule = (depConstraints) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: true,
    allow: [],
    depConstraints,
  },
];

export default tseslint.config(
  {
    ignores: [
      'tools/lint/fixtures/**',
      '**/node_modules',
      '**/dist',
      '**/.nx',
      '**/.nexus',
      '**/reports',
      '**/*.js',
      '**/*.mjs',
    ],
  },
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
        {
          patterns: [
            {
              group: ['../../../*', '**/libs/*', '**/apps/*'],
              message: 'Import other projects through their @nexus/<lib> alias.',
            },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports', disallowTypeAnnotations: false },
      ],
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
  prettier,
);
