import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { DomainError } from '@nexus/core';
import { bodyOf, fsPrincipal, startFilesystemContext, TreeModel } from '../testing';
import type { FsTestContext, ModelOp } from '../testing';
import { FileWriter } from './file-writer.service';
import { FsReader } from './fs-reader.service';
import { FsTree } from './fs-tree.service';

const CONTENTS = ['x', 'y', 'z', 'w'];
const BY_HASH = new Map(
  CONTENTS.map((content) => [createHash('sha256').update(content).digest('hex'), content]),
);

const path = fc
  .array(fc.constantFrom('a', 'b'), { minLength: 1, maxLength: 3 })
  .map((segments) => `/${segments.join('/')}`);
const pathOrRoot = fc.oneof({ weight: 9, arbitrary: path }, { weight: 1, arbitrary: fc.constant('/') });

const operation: fc.Arbitrary<ModelOp> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('write' as const),
      path: pathOrRoot,
      content: fc.constantFrom(...CONTENTS),
      parents: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('mkdir' as const), path: pathOrRoot, parents: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('delete' as const), path: pathOrRoot }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('rmdir' as const), path: pathOrRoot, recursive: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('rename' as const),
      from: pathOrRoot,
      to: pathOrRoot,
      overwrite: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('copy' as const),
      from: pathOrRoot,
      to: pathOrRoot,
      overwrite: fc.boolean(),
    }),
  },
);

const SEED: ModelOp[] = [
  { op: 'write', path: '/a/a/a', content: 'x', parents: true },
  { op: 'write', path: '/a/b', content: 'y', parents: true },
  { op: 'write', path: '/b/a/b', content: 'z', parents: true },
];

describe('filesystem operations agree with an in-memory model of the tree (fast-check)', () => {
  let ctx: FsTestContext;
  let writer: FileWriter;
  let tree: FsTree;
  let reader: FsReader;

  beforeAll(async () => {
    ctx = await startFilesystemContext();
    writer = ctx.app.get(FileWriter);
    tree = ctx.app.get(FsTree);
    reader = ctx.app.get(FsReader);
  });

  afterAll(async () => ctx?.close());

  it('accepts and refuses the same operations as the model and ends in the same tree', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 30 }), async (generated) => {
        // Every run starts from a small tree, so removes, renames and copies meet real subtrees.
        const ops: ModelOp[] = [...SEED, ...generated];
        const principal = fsPrincipal();
        const model = new TreeModel();
        for (const [index, op] of ops.entries()) {
          const expected = model.apply(op);
          const actual = await run(principal, op);
          if (actual !== expected)
            throw new Error(
              `step ${index} ${JSON.stringify(op)}: model ${expected}, service ${String(actual)}`,
            );
        }
        expect(await snapshot(principal)).toEqual(model.snapshot());
      }),
      { numRuns: 60 },
    );
  }, 180_000); // ~10 s alone; far longer when the whole suite shares two cores

  /** True when the service did it, false when it refused with a 4xx; anything else fails the test. */
  async function run(principal: ReturnType<typeof fsPrincipal>, op: ModelOp): Promise<boolean> {
    try {
      switch (op.op) {
        case 'write':
          await writer.write(principal, op.path, bodyOf(op.content), { parents: op.parents });
          break;
        case 'mkdir':
          await tree.mkdir(principal, op.path, { parents: op.parents });
          break;
        case 'delete':
          await tree.deleteFile(principal, op.path);
          break;
        case 'rmdir':
          await tree.rmdir(principal, op.path, { recursive: op.recursive });
          break;
        case 'rename':
          await tree.rename(principal, op.from, op.to, { overwrite: op.overwrite });
          break;
        case 'copy':
          await tree.copy(principal, op.from, op.to, { overwrite: op.overwrite });
          break;
      }
      return true;
    } catch (error) {
      if (error instanceof DomainError && error.status >= 400 && error.status < 500) return false;
      throw error;
    }
  }

  async function snapshot(principal: ReturnType<typeof fsPrincipal>): Promise<string[]> {
    const page = await reader.list(principal, '/', { recursive: true, limit: 1000 });
    return page.items
      .map((item) =>
        item.kind === 'file' ? `${item.path} file ${BY_HASH.get(item.contentHash!)}` : `${item.path} dir`,
      )
      .sort();
  }
});
