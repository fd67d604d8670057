import { randomBytes } from 'node:crypto';
import { text } from 'node:stream/consumers';
import { DataSource } from 'typeorm';
import { RequestContext } from '@nexus/core';
import { KvStore } from '@nexus/raft-kv';
import { RebacService, RebacTuplesService } from '@nexus/rebac';
import { OutboxEvent } from '@nexus/storage-models';
import { ContentBlob } from '../entities/content-blob.entity';
import { FileVersion } from '../entities/file-version.entity';
import { OperationLogEntry } from '../entities/operation-log.entity';
import { bodyOf, fsPrincipal, startFilesystemContext } from '../testing';
import type { FsTestContext } from '../testing';
import { FileReader } from './file-reader.service';
import { FileWriter } from './file-writer.service';
import { FsReader } from './fs-reader.service';

describe('FileWriter and readers (PostgreSQL, LMDB raft-kv, local blobs)', () => {
  let ctx: FsTestContext;
  let writer: FileWriter;
  let reader: FsReader;
  let files: FileReader;
  let db: DataSource;

  beforeAll(async () => {
    ctx = await startFilesystemContext();
    writer = ctx.app.get(FileWriter);
    reader = ctx.app.get(FsReader);
    files = ctx.app.get(FileReader);
    db = ctx.app.get(DataSource);
  });

  afterAll(async () => ctx?.close());

  it('creates a file with its parents, versions it, logs and emits events, and bumps the zone revision', async () => {
    const alice = fsPrincipal();
    const first = await writer.write(alice, '/docs/notes/a.txt', bodyOf('hello'), { parents: true });
    expect(first).toMatchObject({ path: '/docs/notes/a.txt', version: 1, size: 5, created: true });
    expect(first.revision).toBe('1');

    const second = await writer.write(alice, '/docs/notes/a.txt', bodyOf('hello world'));
    expect(second).toMatchObject({ version: 2, size: 11, created: false });
    expect(BigInt(second.revision!)).toBeGreaterThan(1n);

    const stat = await reader.stat(alice, '/docs/notes/a.txt');
    expect(stat).toMatchObject({
      kind: 'file',
      version: 2,
      size: 11,
      mimeType: 'text/plain',
      etag: second.etag,
    });
    expect(await text((await files.open(alice, '/docs/notes/a.txt')).body)).toBe('hello world');
    expect(await text((await files.open(alice, '/docs/notes/a.txt', { version: 1 })).body)).toBe('hello');
    expect(await text((await files.open(alice, '/docs/notes/a.txt', { range: { start: 6 } })).body)).toBe(
      'world',
    );

    const page = await reader.list(alice, '/docs', { recursive: true });
    expect(page.items.map((item) => item.path)).toEqual(['/docs/notes', '/docs/notes/a.txt']);

    const zone = { zoneId: alice.zoneId };
    expect(await db.getRepository(FileVersion).count({ where: zone })).toBe(2);
    const ops = await db.getRepository(OperationLogEntry).find({ where: zone, order: { createdAt: 'ASC' } });
    expect(ops.map((op) => [op.op, op.revision])).toEqual([
      ['write', first.revision],
      ['write', second.revision],
    ]);
    // One outbox event per change: the aggregate is the entry (its id), the path rides in the payload.
    const events = await db
      .getRepository(OutboxEvent)
      .find({ where: { ...zone, aggregateType: 'file' }, order: { sequence: 'ASC' } });
    const [docs, notes] = [await reader.stat(alice, '/docs'), await reader.stat(alice, '/docs/notes')];
    expect(events.map((event) => [event.type, event.aggregateId, event.payload.path])).toEqual([
      ['dir_create', docs.id, '/docs'],
      ['dir_create', notes.id, '/docs/notes'],
      ['file_write', stat.id, '/docs/notes/a.txt'],
      ['file_write', stat.id, '/docs/notes/a.txt'],
    ]);
    for (const event of events) {
      expect(event).toMatchObject({ actorType: 'user', actorId: alice.subjectId, correlationId: null });
    }
    expect(await ctx.app.get(KvStore).getRevision(alice.zoneId)).toBe(BigInt(second.revision!));
  });

  it('stores identical content once and counts its references', async () => {
    const bob = fsPrincipal();
    const a = await writer.write(bob, '/x.bin', bodyOf('same bytes'));
    const b = await writer.write(bob, '/y.bin', bodyOf('same bytes'));
    expect(a.contentHash).toBe(b.contentHash);
    const blob = await db.getRepository(ContentBlob).findOneByOrFail({ hash: a.contentHash });
    expect(blob.refCount).toBe(2);
  });

  it('ties the events of a request to its request id', async () => {
    const grace = fsPrincipal();
    const requestId = `req-${randomBytes(6).toString('hex')}`;
    await RequestContext.run({ requestId, principal: grace }, () =>
      writer.write(grace, '/traced/a.txt', bodyOf('traced'), { parents: true }),
    );
    const events = await db
      .getRepository(OutboxEvent)
      .find({ where: { zoneId: grace.zoneId }, order: { sequence: 'ASC' } });
    expect(events.map((event) => [event.type, event.correlationId])).toEqual([
      ['dir_create', requestId],
      ['file_write', requestId],
    ]);
  });

  it('makes the creator owner and lets others in only through rebac', async () => {
    const owner = fsPrincipal();
    const other = fsPrincipal({ zoneId: owner.zoneId });
    await writer.write(owner, '/private/plan.md', bodyOf('# plan'), { parents: true });
    await expect(reader.stat(other, '/private/plan.md')).rejects.toMatchObject({ status: 403 });
    await expect(writer.write(other, '/private/plan.md', bodyOf('mine'))).rejects.toMatchObject({
      status: 403,
    });
    const dir = await reader.stat(owner, '/private');
    const rebac = ctx.app.get(RebacService);
    expect(
      (
        await rebac.check(owner.zoneId, {
          object: { type: 'file', id: (await reader.stat(owner, '/private/plan.md')).id! },
          relation: 'owner',
          subject: { type: 'user', id: owner.subjectId },
        })
      ).allowed,
    ).toBe(true);
    expect(dir.owner).toBe(`user:${owner.subjectId}`);
    // Root listing shows only what the caller may read.
    expect((await reader.list(other, '/')).items).toEqual([]);
    expect((await reader.list(owner, '/')).items.map((item) => item.name)).toEqual(['private']);
  });

  it('answers preconditions, directories and missing parents with the right errors and writes nothing', async () => {
    const carol = fsPrincipal();
    const made = await writer.write(carol, '/a.txt', bodyOf('1'));
    await expect(
      writer.write(carol, '/a.txt', bodyOf('2'), { preconditions: { ifMatch: '"nope"' } }),
    ).rejects.toMatchObject({ status: 412 });
    await expect(
      writer.write(carol, '/a.txt', bodyOf('2'), { preconditions: { ifNoneMatch: '*' } }),
    ).rejects.toMatchObject({ status: 412 });
    await expect(
      writer.write(carol, '/a.txt', bodyOf('2'), { preconditions: { ifMatch: `"${made.etag}"` } }),
    ).resolves.toMatchObject({ version: 2 });
    await expect(writer.write(carol, '/missing/b.txt', bodyOf('x'))).rejects.toMatchObject({ status: 404 });
    await expect(writer.write(carol, '/a.txt/b.txt', bodyOf('x'), { parents: true })).rejects.toMatchObject({
      status: 409,
    });
    await expect(writer.write(carol, '/', bodyOf('x'))).rejects.toMatchObject({ status: 409 });
    await expect(writer.write(carol, '/bad/../x', bodyOf('x'))).rejects.toMatchObject({ status: 400 });
    expect(await db.getRepository(FileVersion).count({ where: { zoneId: carol.zoneId } })).toBe(2);
  });

  it('never loses or duplicates a version under concurrent writers', async () => {
    const dave = fsPrincipal();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => writer.write(dave, '/race.txt', bodyOf(`writer ${i}`))),
    );
    const versions = results.map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect((await reader.stat(dave, '/race.txt')).version).toBe(12);
  });

  it('creates concurrent files in one directory each with its version, owner tuple and its own stamped revision', async () => {
    const frank = fsPrincipal({ subjectType: 'agent' });
    await writer.write(frank, '/many/seed.txt', bodyOf('seed'), { parents: true });
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) => writer.write(frank, `/many/f${i}.txt`, bodyOf(`file ${i}`))),
    );
    const revisions = results.map((r) => BigInt(r.revision!));
    expect(new Set(revisions).size).toBe(16);
    // Stamps of concurrent writes go in shared UPDATEs: each log row must still carry its own write's revision.
    const logged = await db.query<Array<{ path: string; revision: string }>>(
      `SELECT path, revision FROM operation_log WHERE zone_id = $1 AND path LIKE '/many/f%'`,
      [frank.zoneId],
    );
    expect(new Map(logged.map((row) => [row.path, row.revision]))).toEqual(
      new Map(results.map((r) => [r.path, r.revision])),
    );
    const versions = await db.query<Array<{ path: string; version: number; content_hash: string }>>(
      `SELECT p.path, v.version, v.content_hash FROM file_versions v JOIN file_paths p ON p.id = v.path_id
        WHERE p.zone_id = $1 AND p.path LIKE '/many/f%'`,
      [frank.zoneId],
    );
    expect(versions.map((v) => [v.path, v.version, v.content_hash]).sort()).toEqual(
      results.map((r) => [r.path, 1, r.contentHash]).sort(),
    );
    const rebac = ctx.app.get(RebacService);
    for (const result of results) {
      const { id } = await reader.stat(frank, result.path);
      const owns = await rebac.check(frank.zoneId, {
        object: { type: 'file', id: id! },
        relation: 'owner',
        subject: { type: 'agent', id: frank.subjectId },
      });
      expect(owns.allowed).toBe(true);
    }
  });

  it('asks again after a long upload: editor rights revoked meanwhile refuse the write', async () => {
    const owner = fsPrincipal();
    const bob = fsPrincipal({ zoneId: owner.zoneId });
    await writer.write(owner, '/team/readme.md', bodyOf('team'), { parents: true });
    const team = await reader.stat(owner, '/team');
    const editor = {
      object: { type: 'file', id: team.id! },
      relation: 'editor',
      subject: { type: 'user', id: bob.subjectId },
    };
    const tuples = ctx.app.get(RebacTuplesService);
    await tuples.write(owner.zoneId, { writes: [editor] });
    async function* slowBody(): AsyncIterable<Uint8Array> {
      yield Buffer.from('first half ');
      // Past the decision's reuse window, with the grant revoked meanwhile.
      await tuples.write(owner.zoneId, { deletes: [editor] });
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      yield Buffer.from('second half');
    }
    await expect(writer.write(bob, '/team/late.txt', slowBody())).rejects.toMatchObject({ status: 403 });
    await expect(reader.stat(owner, '/team/late.txt')).rejects.toMatchObject({ status: 404 });
  });

  it('accepts a 4 KB path that compresses and refuses one over the index limit with a 400, changing nothing', async () => {
    const erin = fsPrincipal();
    const compressible = `/${Array.from({ length: 16 }, () => 'd'.repeat(250)).join('/')}`;
    expect(Buffer.byteLength(compressible)).toBeGreaterThan(4000);
    await expect(writer.write(erin, compressible, bodyOf('deep'), { parents: true })).resolves.toMatchObject({
      version: 1,
    });

    const random = `/${Array.from({ length: 12 }, () => randomBytes(180).toString('base64url').slice(0, 230)).join('/')}`;
    await expect(writer.write(erin, random, bodyOf('x'), { parents: true })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_PATH',
      details: { rule: 'not-indexable' },
    });
    const rows = await db.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM file_paths WHERE zone_id = $1 AND path LIKE $2`,
      [erin.zoneId, `/${random.split('/')[1]}%`],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('does not leak between zones', async () => {
    const zoneA = fsPrincipal({ role: 'admin' });
    const zoneB = fsPrincipal({ role: 'admin' });
    await writer.write(zoneA, '/secret.txt', bodyOf('a'));
    await expect(reader.stat(zoneB, '/secret.txt')).rejects.toMatchObject({ status: 404 });
    expect((await reader.list(zoneB, '/')).items).toEqual([]);
  });
});
