import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKSPACE_ROOT } from '@nexus/core/testing';
import type { KvBatchOp } from '@nexus/raft-kv';
import { EtcdKvStore, LmdbKvStore, embeddedKvPath } from '@nexus/raft-kv';
import type { EtcdCluster } from '@nexus/raft-kv/testing';
import { startEtcdCluster } from '@nexus/raft-kv/testing';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `tools/kv-migrate.ts <args>` from source, as `npm run kv:migrate -- <args>` does. */
function migrate(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', '@swc-node/register', 'tools/kv-migrate.ts', ...args],
      {
        cwd: WORKSPACE_ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SWC_NODE_PROJECT: join(WORKSPACE_ROOT, 'tsconfig.base.json'), ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const checksumOf = (output: string, side: 'source' | 'target') => output.match(new RegExp(`kv-migrate ${side} entries=\\d+ checksum=([0-9a-f]{64})`))?.[1];

describe('tools/kv-migrate --help (no etcd needed)', () => {
  it.each([['--help'], ['-h']])('%s prints every flag with its meaning and exits 0, whatever the environment', async (flag) => {
    // A bad variable would stop a real run with 78: help is answered before the configuration is read.
    const run = await migrate([flag], { NEXUS_KV: 'bogus' });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^Usage: npm run kv:migrate -- --from ENGINE --to ENGINE/);
    for (const option of ['--from ENGINE', '--to ENGINE', '--endpoints URLS', '--data-dir DIR', '--namespace PREFIX', '--dry-run', '--replace', '-h, --help']) {
      expect(run.stdout).toMatch(new RegExp(`^  ${option} +\\S`, 'm'));
    }
  }, 60_000);
});

describe('tools/kv-migrate', () => {
  let cluster: EtcdCluster;
  let root = '';
  const namespace = `migrate-${randomBytes(4).toString('hex')}/`;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'nexus-kv-migrate-'));
    cluster = await startEtcdCluster({ size: 1 });
    const source = LmdbKvStore.open({ path: embeddedKvPath(join(root, 'source')) });
    for (let start = 0; start < 1_500; start += 100) {
      await source.batch(
        Array.from({ length: 100 }, (_, i): KvBatchOp => ({ type: 'put', table: 'sm_metadata', key: Buffer.from(`f-${start + i}`), value: Buffer.from(`${start + i}`) })),
      );
    }
    for (let i = 0; i < 3; i++) await source.incrementRevision('zone-1');
    await source.close();
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('copies the embedded store into etcd and back, after a dry run that writes nothing', async () => {
    const base = ['--endpoints', cluster.endpoints.join(','), '--namespace', namespace];
    const dry = await migrate(['--from', 'embedded', '--to', 'etcd', '--dry-run', ...base], { NEXUS_DATA_DIR: join(root, 'source') });
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain('kv-migrate dry-run: would copy 1501 entries; nothing written');
    const sourceChecksum = checksumOf(dry.stdout, 'source');
    expect(sourceChecksum).toMatch(/^[0-9a-f]{64}$/);
    const etcd = new EtcdKvStore({ endpoints: cluster.endpoints, namespace });
    try {
      expect(await etcd.listTables()).toEqual([]);

      const there = await migrate(['--from', 'embedded', '--to', 'etcd', '--data-dir', join(root, 'source'), ...base]);
      expect(there.stderr).toContain('100% 1501/1501 entries');
      expect(there).toMatchObject({ code: 0 });
      expect(there.stdout).toContain('kv-migrate verified: counts and checksums match');
      expect(checksumOf(there.stdout, 'source')).toBe(sourceChecksum);
      expect(checksumOf(there.stdout, 'target')).toBe(sourceChecksum);
      expect(await etcd.getRevision('zone-1')).toBe(3n);
      expect(Buffer.from((await etcd.get('sm_metadata', Buffer.from('f-1499'))) ?? []).toString()).toBe('1499');
    } finally {
      await etcd.close();
    }

    const again = await migrate(['--from', 'embedded', '--to', 'etcd', '--data-dir', join(root, 'source'), ...base]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds data/);

    const back = await migrate(['--from', 'etcd', '--to', 'embedded', '--data-dir', join(root, 'back'), ...base]);
    expect(back).toMatchObject({ code: 0 });
    expect(checksumOf(back.stdout, 'target')).toBe(sourceChecksum);
  }, 120_000);

  it.each([
    [['--from', 'embedded'], /--to must be one of: embedded, etcd/],
    [['--from', 'etcd', '--to', 'etcd', '--endpoints', 'http://127.0.0.1:1'], /must name different engines/],
    [['--from', 'embedded', '--to', 'etcd'], /--endpoints or set NEXUS_ETCD_ENDPOINTS/],
    [['--from', 'embedded', '--to', 'etcd', '--bogus'], /Unknown option '--bogus'/],
    [['--from'], /--from <value>' argument missing/],
  ])('exits 2 on bad arguments %p', async (args, message) => {
    const run = await migrate(args, { NEXUS_DATA_DIR: join(root, 'unused') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  }, 60_000);
});
