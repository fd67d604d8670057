import { randomBytes } from 'node:crypto';
import { useFilesApi } from './support/files-api';

const LIMIT = 1024 * 1024;

describe('file uploads over NEXUS_MAX_FILE_BYTES (real PostgreSQL)', () => {
  const api = useFilesApi('nexus_api_files_limit', { NEXUS_MAX_FILE_BYTES: String(LIMIT) });

  it('answers 413 to a streamed body over the limit and leaves nothing visible', async () => {
    const { editor } = api().keys;
    let sent = 0;
    const tooBig = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3 * LIMIT) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(randomBytes(64 * 1024));
      },
    });
    const refused = await api().request('PUT', '/api/v1/files/huge.bin', editor, { body: tooBig });
    expect(refused.status).toBe(413);
    expect(refused.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
    expect((await api().request('GET', '/api/v1/files/huge.bin', editor)).status).toBe(404);
    expect((await api().call('GET', '/api/v1/fs/exists?path=/huge.bin', editor)).body).toEqual({
      path: '/huge.bin',
      exists: false,
    });
    const root = await api().call<{ items: Array<{ path: string }> }>(
      'GET',
      '/api/v1/fs/list?path=/',
      editor,
    );
    expect(root.body.items.map((item) => item.path)).not.toContain('/huge.bin');
  });

  it('still accepts a body of exactly the limit (Fastify’s own 1 MiB bodyLimit does not apply)', async () => {
    const { editor } = api().keys;
    const written = await api().request('PUT', '/api/v1/files/fits.bin', editor, {
      body: randomBytes(LIMIT),
    });
    expect(written.status).toBe(201);
    expect(written.json()).toMatchObject({ size: LIMIT });
  });
});
