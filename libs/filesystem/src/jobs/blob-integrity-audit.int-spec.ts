import { createHash } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import type { BlobStore } from '../blob/blob-store';
import type { LocalDiskBlobStore } from '../blob/local-disk-blob-store';
import { FilesystemModule } from '../filesystem.module';
import { BLOB_STORE } from '../filesystem.tokens';
import { FileWriter } from '../service/file-writer.service';
import { bodyOf, fsJobContext, fsPrincipal, jobArtifacts, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { BlobIntegrityAuditJobHandler } from './blob-integrity-audit.handler';
import { FS_INTEGRITY_AUDIT_JOB } from './fs-job-types';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('filesystem.integrity_audit (PostgreSQL, local blobs)', () => {
  let ctx: FsTestContext;
  let blobs: LocalDiskBlobStore;
  let audit: BlobIntegrityAuditJobHandler;

  beforeAll(async () => {
    ctx = await startFilesystemContext({}, [FilesystemModule.forWorker({ schedule: false })]);
    blobs = ctx.app.get<BlobStore>(BLOB_STORE) as LocalDiskBlobStore;
    audit = ctx.app.get(BlobIntegrityAuditJobHandler);
    const writer = ctx.app.get(FileWriter);
    const alice = fsPrincipal();
    for (const name of ['good', 'corrupt', 'missing'])
      await writer.write(alice, `/${name}.txt`, bodyOf(`${name} content`));
  });

  afterAll(async () => ctx?.close());

  it('reports every sampled blob ok while the store is intact', async () => {
    const outcome = await audit.handle(
      { sampleSize: 10 },
      await fsJobContext(ctx.app, FS_INTEGRITY_AUDIT_JOB.type),
    );
    expect(outcome).toEqual({
      status: 'succeeded',
      result: { sampled: 3, ok: 3, missing: [], mismatched: [] },
    });
  });

  it('finds a blob whose bytes changed and one that is gone, and records the report as an artifact', async () => {
    await writeFile(blobs.pathOf(sha256('corrupt content')), 'bit rot!');
    await unlink(blobs.pathOf(sha256('missing content')));
    const context = await fsJobContext(ctx.app, FS_INTEGRITY_AUDIT_JOB.type);

    const outcome = await audit.handle({ sampleSize: 10 }, context);

    const expected = {
      sampled: 3,
      ok: 1,
      missing: [sha256('missing content')],
      mismatched: [
        { hash: sha256('corrupt content'), actualHash: sha256('bit rot!'), expectedSize: 15, actualSize: 8 },
      ],
    };
    expect(outcome).toEqual({ status: 'succeeded', result: expected });
    expect(await jobArtifacts(ctx.app, context.jobId)).toEqual([
      { kind: 'blob_integrity_report', name: 'blobs', data: expected },
    ]);
  });

  it('samples at most sampleSize blobs', async () => {
    const outcome = await audit.handle(
      { sampleSize: 2 },
      await fsJobContext(ctx.app, FS_INTEGRITY_AUDIT_JOB.type),
    );
    expect(outcome).toMatchObject({ result: { sampled: 2 } });
  });
});
