import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  cosine,
  EmbeddingProviderError,
  HashingEmbeddingProvider,
  OpenAiCompatibleEmbeddingProvider,
  type OpenAiCompatibleEmbeddingOptions,
} from './embedding-provider';

const norm = (v: Float32Array) => Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));

describe('cosine', () => {
  const v = (...xs: number[]) => Float32Array.from(xs);

  it.each<[string, Float32Array, Float32Array, number]>([
    ['identical', v(0.6, 0.8), v(0.6, 0.8), 1],
    ['hand-computed', v(1, 0), v(0.6, 0.8), 0.6],
    ['not unit length: divides by the norms', v(2, 0), v(3, 4), 0.6],
    ['orthogonal', v(1, 0), v(0, 1), 0],
    ['opposite', v(0.6, 0.8), v(-0.6, -0.8), -1],
    ['different lengths', v(1, 0), v(1, 0, 0), 0],
    ['a zero vector', v(0, 0), v(1, 0), 0],
    ['two empty vectors', v(), v(), 0],
  ])('%s', (_, a, b, expected) => {
    expect(cosine(a, b)).toBeCloseTo(expected, 6);
  });
});

describe('HashingEmbeddingProvider', () => {
  const provider = new HashingEmbeddingProvider();
  const embedOne = async (text: string, p = provider) => (await p.embed([text]))[0]!;

  it('names its model and defaults to 256 dimensions', async () => {
    expect(provider.model).toBe('hashing-v1');
    expect(provider.dimensions).toBe(256);
    expect(await embedOne('hello')).toHaveLength(256);
    const small = new HashingEmbeddingProvider({ dimensions: 16 });
    expect(await embedOne('hello world', small)).toHaveLength(16);
  });

  it('hashes a term with FNV-1a into bucket hash mod dimensions, signed by the top bit', async () => {
    // FNV-1a("a") = 0xe40c292c: bucket 0x2c = 44, top bit set → negative.
    const a = await embedOne('a');
    expect(a[44]).toBe(-1);
    expect(norm(a)).toBeCloseTo(1, 6);
    // FNV-1a("b") = 0xe70c2de5 → bucket 229, negative; weight 1 + ln(2) for two occurrences.
    const ab = await embedOne('a b b');
    expect(ab[229]! / ab[44]!).toBeCloseTo(1 + Math.log(2), 5);
    expect(ab.filter((x) => x !== 0)).toHaveLength(2);
  });

  it('is deterministic, across calls and instances, in input order', async () => {
    const texts = ['parse the config', 'HTTPServer listens', 'parse the config'];
    const first = await provider.embed(texts);
    const again = await new HashingEmbeddingProvider().embed(texts);
    expect(again).toEqual(first);
    expect(first[2]).toEqual(first[0]);
    expect(first[1]).not.toEqual(first[0]);
  });

  it('returns unit vectors, and a zero vector for text without terms', async () => {
    const texts = ['one', 'the quick brown fox jumps over the lazy dog', 'parseConfig(os.path) v1.2.3'];
    for (const vector of await provider.embed(texts)) expect(norm(vector)).toBeCloseTo(1, 5);
    const empty = await provider.embed(['', '!!! ...']);
    expect(empty.map((e) => e.every((x) => x === 0))).toEqual([true, true]);
    expect(await provider.embed([])).toEqual([]);
  });

  it('ranks texts that share terms above unrelated ones', async () => {
    const [query, similar, dissimilar] = await provider.embed([
      'parse the config file',
      'parseConfig reads a configuration file',
      'kubernetes pod scheduling latency',
    ]);
    expect(cosine(query!, similar!)).toBeGreaterThan(0.3);
    expect(cosine(query!, similar!)).toBeGreaterThan(cosine(query!, dissimilar!));
  });

  it('honours an aborted signal', async () => {
    await expect(provider.embed(['x'], AbortSignal.abort())).rejects.toThrow();
  });
});

type Received = Pick<IncomingMessage, 'method' | 'url' | 'headers'> & {
  body: { model: string; input: string[] };
};
type Reply = { status: number; body: unknown } | 'hang';
const ok = (data: unknown): Reply => ({ status: 200, body: { data } });

const KEY = 'sk-test-SECRET-1234';

describe('OpenAiCompatibleEmbeddingProvider', () => {
  let server: Server;
  let url: string;
  let received: Received[];
  let reply: (request: Received) => Reply;

  // A fake vector per text: [length, 1, 0] before normalisation, so order is checkable.
  const fakeVector = (text: string) => [text.length, 1, 0];
  const expectedVector = (text: string) => fakeVector(text).map((x, _, raw) => x / Math.hypot(...raw));
  const answerAll = ({ body }: Received) =>
    ok(body.input.map((text, index) => ({ index, embedding: fakeVector(text) })));

  beforeEach(async () => {
    received = [];
    reply = answerAll;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request = {
          method: req.method,
          url: req.url,
          headers: req.headers,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Received['body'],
        };
        received.push(request);
        const answer = reply(request);
        if (answer === 'hang') return;
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/embeddings`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const make = (options: Partial<OpenAiCompatibleEmbeddingOptions> = {}) =>
    new OpenAiCompatibleEmbeddingProvider({ url, model: 'test-embed', dimensions: 3, ...options });
  const expectVectors = (vectors: Float32Array[], texts: string[]) => {
    expect(vectors).toHaveLength(texts.length);
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array);
      [...v].forEach((x, j) => expect(x).toBeCloseTo(expectedVector(texts[i]!)[j]!, 6));
    });
  };

  it('POSTs the model and input as JSON with a bearer token, and normalises the vectors', async () => {
    const vectors = await make({ apiKey: KEY }).embed(['hi', 'hello']);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v1/embeddings');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request?.body).toEqual({ model: 'test-embed', input: ['hi', 'hello'] });
    expectVectors(vectors, ['hi', 'hello']);
    for (const v of vectors) expect(norm(v)).toBeCloseTo(1, 6);
  });

  it('sends no authorization header without an api key', async () => {
    await make().embed(['x']);
    expect(received[0]?.headers).not.toHaveProperty('authorization');
  });

  it('splits the input into batches of batchSize, keeping the order; no texts, no request', async () => {
    expect(await make().embed([])).toEqual([]);
    expect(received).toHaveLength(0);
    const texts = ['a', 'bb', 'ccc', 'dddd', 'eeeee'];
    const vectors = await make({ batchSize: 2 }).embed(texts);
    expect(received.map((r) => r.body.input)).toEqual([['a', 'bb'], ['ccc', 'dddd'], ['eeeee']]);
    expectVectors(vectors, texts);
  });

  it('orders the vectors by index, not by their position in the answer', async () => {
    reply = (request) => {
      const answer = answerAll(request) as { status: number; body: { data: unknown[] } };
      answer.body.data.reverse(); // index 2, 1, 0
      return answer;
    };
    const texts = ['one', 'three', 'fifteen'];
    expectVectors(await make().embed(texts), texts);
  });

  it('turns a 500 into an EmbeddingProviderError naming the origin and status but not the key', async () => {
    reply = () => ({ status: 500, body: { error: `upstream broke; rejected key ${KEY}` } });
    const provider = make({ apiKey: KEY });
    const error = await provider.embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingProviderError);
    const { message, status } = error as EmbeddingProviderError;
    expect(status).toBe(500);
    expect(message).toContain(new URL(url).origin);
    expect(message).toContain('500');
    expect(message).toContain('upstream broke');
    expect(message).not.toContain(KEY);
    expect(JSON.stringify(provider)).not.toContain(KEY);
  });

  it.each<[string, (request: Received) => Reply, RegExp]>([
    [
      'a vector of the wrong length',
      () => ok([0, 1].map((index) => ({ index, embedding: [1, 0] }))),
      /2 dim/,
    ],
    ['too few vectors', () => ok([{ index: 0, embedding: [1, 0, 0] }]), /1 vectors for 2/],
    ['a repeated index', () => ok([0, 0].map((index) => ({ index, embedding: [1, 0, 0] }))), /index 0 twice/],
    ['an index out of range', () => ok([0, 2].map((index) => ({ index, embedding: [1, 0, 0] }))), /index 2/],
    ['a non-numeric vector', () => ok([0, 1].map((index) => ({ index, embedding: [1, 'x', 0] }))), /non-num/],
    ['no data array', () => ok(undefined), /without a data array/],
    ['invalid JSON', () => ({ status: 200, body: '{"data": [' }), /invalid JSON/],
  ])('rejects %s', async (_, answer, message) => {
    reply = answer;
    const failure = make().embed(['x', 'y']);
    await expect(failure).rejects.toThrow(EmbeddingProviderError);
    await expect(failure).rejects.toThrow(message);
  });

  it('times out on a server that never answers', async () => {
    reply = () => 'hang';
    const failure = make({ timeoutMs: 200 }).embed(['x']);
    await expect(failure).rejects.toThrow(EmbeddingProviderError);
    await expect(failure).rejects.toThrow(/timed out after 200 ms/);
  });

  it("passes the caller's abort on as is, not as a provider error", async () => {
    reply = () => 'hang';
    const controller = new AbortController();
    const failure = make().embed(['x'], controller.signal);
    setTimeout(() => controller.abort(new Error('caller gave up')), 50);
    await expect(failure).rejects.toThrow('caller gave up');
    await expect(failure).rejects.not.toBeInstanceOf(EmbeddingProviderError);
  });

  it('rejects a provider that cannot be reached', async () => {
    // A port that was just free and is closed again: nothing listens there.
    const spare = createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    const { port } = spare.address() as AddressInfo;
    await new Promise((resolve) => spare.close(resolve));
    const provider = make({ url: `http://127.0.0.1:${port}/v1/embeddings`, apiKey: KEY });
    const error = await provider.embed(['x']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingProviderError);
    expect((error as Error).message).toContain(`127.0.0.1:${port} request failed`);
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect((error as Error).message).not.toContain(KEY);
  });

  it('checks its options', () => {
    expect(() => make({ batchSize: 0 })).toThrow(RangeError);
    expect(() => make({ dimensions: 1.5 })).toThrow(RangeError);
    expect(() => make({ url: 'not a url' })).toThrow();
  });
});
