// Shared Jest settings for every project: SWC transpiles TypeScript with the
// decorator metadata NestJS and TypeORM need; @nexus/* aliases map to sources.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

process.env.TZ = 'UTC';

// Dependencies published only as ES modules that CommonJS code requires. Node 20
// loads them natively (require(esm)); Jest's module runtime cannot, so SWC
// converts them to CommonJS for tests.
const ESM_ONLY_DEPENDENCIES = [
  'content-disposition',
  'file-type',
  'cookie',
  // The OpenAPI contract test: swagger-parser's ref parser, and openapi-typescript's (some nested) dependencies.
  '@apidevtools/json-schema-ref-parser',
  'openapi-typescript',
  'parse-json',
  'supports-color',
  'change-case',
  'index-to-position',
];

const swcOptions = (syntax) => ({
  jsc: {
    parser: syntax === 'typescript' ? { syntax, decorators: true } : { syntax },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
});

/** @param {string} projectDir @param {string} name */
module.exports = function projectJestConfig(projectDir, name) {
  return {
    displayName: name,
    rootDir: projectDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/**/*.spec.ts', '<rootDir>/**/*.int-spec.ts'],
    transform: {
      '^.+\\.ts$': ['@swc/jest', swcOptions('typescript')],
      '^.+\\.js$': ['@swc/jest', swcOptions('ecmascript')],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY_DEPENDENCIES.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'json'],
    moduleNameMapper,
    setupFiles: ['reflect-metadata'],
    testTimeout: 30_000,
    reporters: ['default'],
  };
};
