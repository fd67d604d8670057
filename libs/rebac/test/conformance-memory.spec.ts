import { join } from 'node:path';
import { MemoryTupleLoader } from '../src/engine/memory-tuple-loader';
import { RebacEngine } from '../src/engine/rebac-engine';
import type { CompiledModel } from '../src/model/compiled-model';
import { compileModel } from '../src/model/model-compiler';
import { assertTupleFits } from '../src/model/request-validation';
import { formatSubject, toRow } from '../src/tuple/tuple.types';
import type { ConformanceBackend } from './conformance-harness';
import { emptyResult, loadConformance, runConformanceTest, summary } from './conformance-harness';

const FILE = join(
  __dirname,
  '../../../../shared/conformance/openfga/openfga_consolidated_1_1_tests.with_json_models.json',
);

/** The same conformance cases against the engine over in-memory tuples (fast; the int-spec runs them on PostgreSQL). */
function memoryBackend(): ConformanceBackend {
  const loader = new MemoryTupleLoader();
  let model: CompiledModel | undefined;
  const engine = () => new RebacEngine(model as CompiledModel, loader);
  return {
    writeModel: async (json) => {
      model = compileModel(json);
    },
    writeTuples: async (tuples) => {
      for (const tuple of tuples) assertTupleFits(model as CompiledModel, tuple);
      for (const tuple of tuples) loader.add(toRow(tuple));
    },
    check: async (tuple, contextualTuples) => engine().check({ ...tuple, contextualTuples }),
    listObjects: async (type, relation, subject, contextualTuples) =>
      engine().listObjects({ type, relation, subject, contextualTuples }),
    listSubjects: async (object, relation, filters, contextualTuples) =>
      (await engine().listSubjects({ object, relation, filters, contextualTuples })).map(formatSubject),
  };
}

describe('OpenFGA conformance (in memory)', () => {
  it('passes every check and list assertion of the consolidated file', async () => {
    const result = emptyResult();
    for (const test of loadConformance(FILE)) await runConformanceTest(test, memoryBackend(), result);
    const failures = [
      ...result.checks.failures,
      ...result.listObjects.failures,
      ...result.listUsers.failures,
    ];
    process.stdout.write(
      `${summary('consolidated (memory)', result)}\n${failures.slice(0, 60).join('\n')}\n`,
    );
    expect(failures).toEqual([]);
  });
});
