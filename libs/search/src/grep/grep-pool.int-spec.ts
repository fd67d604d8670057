import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { grepContent } from './grep-lines';
import type { GrepContentOptions } from './grep-lines';
import { compileGrep } from './grep-pattern';
import { GrepPool } from './grep-pool';

describe('GrepPool: files verified on worker threads answer as grepContent does on the caller', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nexus-grep-pool-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const contents = Array.from({ length: 40 }, (_, i) =>
    Buffer.from(`line one ${i}\nfoo_${i} = bar(${i});\n${i % 3 === 0 ? 'needle here\n' : ''}last\n`),
  );
  const files = contents.map((content, i) => {
    const file = join(dir, `f${i}`);
    writeFileSync(file, content);
    return file;
  });

  it.each<[string, GrepContentOptions]>([
    ['needle', {}],
    ['foo_\\d+ = bar', { contextBefore: 1, contextAfter: 1 }],
    ['LINE', { ignoreCase: true, maxMatches: 1 }],
    ['needle', { invert: true }],
  ])('pattern %s %j: by file path and by content, in order', async (pattern, options) => {
    const compiled = compileGrep(pattern, options);
    const expected = contents.map((content) => grepContent(content, compiled, options));
    const pool = GrepPool.shared();
    const byPath = await Promise.all(
      files.map((file) =>
        pool.run(pattern, compiled, options, { file, read: () => Promise.reject(new Error('unused')) }),
      ),
    );
    const byContent = await Promise.all(
      contents.map((content) =>
        pool.run(pattern, compiled, options, { read: () => Promise.resolve(content) }),
      ),
    );
    expect(byPath).toEqual(expected);
    expect(byContent).toEqual(expected);
  });

  it('answers null for a blob file that is gone', async () => {
    const compiled = compileGrep('x', {});
    await expect(
      GrepPool.shared().run(
        'x',
        compiled,
        {},
        { file: join(dir, 'missing'), read: () => Promise.reject(new Error('gone')) },
      ),
    ).resolves.toBeNull();
  });
});
