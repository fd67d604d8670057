// Text embeddings for hybrid (BM25 + vector) ranking: the provider contract, an
// OpenAI-compatible HTTP client, and a deterministic hashing provider for tests.
import { analyze } from '../fulltext/tokenize';
import { termHash } from '../fulltext/term-hash';

export interface EmbeddingProvider {
  readonly model: string;
  readonly dimensions: number;
  /** One vector per text, in input order, each of unit length (a zero vector stays zero). */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** A provider failed or answered something unusable. The message never contains the API key. */
export class EmbeddingProviderError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the provider answered one that was not 2xx. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EmbeddingProviderError';
  }
}

/** Cosine similarity; 0 when the lengths differ or either vector is zero. */
export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  if (normA === 0 || normB === 0) return 0;
  // Dividing by the norms costs little and keeps the result right for vectors
  // that are only nearly unit length (float32 rounding); clamp the rounding too.
  return Math.max(-1, Math.min(1, dot / Math.sqrt(normA * normB)));
}

/** Scales v to unit length in place (accumulating in float64); a zero vector stays zero. */
function normalize(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  if (sum === 0) return v;
  const norm = Math.sqrt(sum);
  for (let i = 0; i < v.length; i++) v[i] = v[i]! / norm;
  return v;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer`);
  return value;
}

export interface OpenAiCompatibleEmbeddingOptions {
  /** The full embeddings endpoint, e.g. `https://host/v1/embeddings`. */
  url: string;
  apiKey?: string;
  model: string;
  dimensions: number;
  /** Per HTTP request, not for the whole embed() call. */
  timeoutMs?: number;
  batchSize?: number;
}

/** Any server speaking the OpenAI embeddings API (OpenAI, vLLM, Ollama, LiteLLM, TEI…). */
export class OpenAiCompatibleEmbeddingProvider implements EmbeddingProvider {
  readonly model: string;
  readonly dimensions: number;
  private readonly url: string;
  /** Origin only: the path or query may carry secrets, and errors name this. */
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly batchSize: number;
  // An ES private field: it does not show up when the provider is logged or serialised.
  readonly #apiKey: string | undefined;

  constructor({
    url,
    apiKey,
    model,
    dimensions,
    timeoutMs = 15000,
    batchSize = 64,
  }: OpenAiCompatibleEmbeddingOptions) {
    this.url = url;
    this.origin = new URL(url).origin;
    this.#apiKey = apiKey;
    this.model = model;
    this.dimensions = positiveInteger('dimensions', dimensions);
    this.timeoutMs = positiveInteger('timeoutMs', timeoutMs);
    this.batchSize = positiveInteger('batchSize', batchSize);
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const vectors: Float32Array[] = [];
    // Batches go one after another: a bulk reindex should not flood the provider.
    for (let start = 0; start < texts.length; start += this.batchSize) {
      signal?.throwIfAborted();
      const batch = texts.slice(start, start + this.batchSize);
      vectors.push(...this.parse(await this.post(batch, signal), batch.length));
    }
    return vectors;
  }

  private async post(input: readonly string[], signal?: AbortSignal): Promise<unknown> {
    const body = await this.send(input, signal);
    try {
      return JSON.parse(body) as unknown;
    } catch (error) {
      throw this.error('answered invalid JSON', { cause: error });
    }
  }

  /** The response body of one request; any failure but the caller's abort becomes an EmbeddingProviderError. */
  private async send(input: readonly string[], signal?: AbortSignal): Promise<string> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.#apiKey) headers['authorization'] = `Bearer ${this.#apiKey}`;
    let response: Response;
    let body: string;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: this.model, input }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      body = await response.text();
    } catch (error) {
      // The caller's cancellation is not a provider failure: pass its reason on.
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) throw this.error(`timed out after ${this.timeoutMs} ms`);
      // fetch says only "fetch failed"; the network code (ECONNREFUSED, ENOTFOUND…) is in its cause.
      const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
      const message = error instanceof Error ? error.message : String(error);
      const reason = this.redact(typeof code === 'string' ? `${message} (${code})` : message);
      throw this.error(`request failed: ${reason}`, { cause: error });
    }
    if (!response.ok) {
      const detail = this.redact(body).slice(0, 200).trim();
      throw this.error(`answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`, {
        status: response.status,
      });
    }
    return body;
  }

  /** Checks the OpenAI response shape and puts the vectors in input order (by `index`). */
  private parse(json: unknown, count: number): Float32Array[] {
    const fail = (problem: string) => this.error(problem);
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) throw fail('answered without a data array');
    if (data.length !== count) throw fail(`answered ${data.length} vectors for ${count} inputs`);
    const vectors = new Array<Float32Array | undefined>(count);
    data.forEach((item: unknown, position) => {
      const { index = position, embedding } = (item ?? {}) as { index?: unknown; embedding?: unknown };
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= count) {
        throw fail(`answered an invalid index ${JSON.stringify(index)}`);
      }
      if (vectors[index]) throw fail(`answered index ${index} twice`);
      if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number' && Number.isFinite(x))) {
        throw fail(`answered a non-numeric embedding at index ${index}`);
      }
      if (embedding.length !== this.dimensions) {
        throw fail(`answered a vector of ${embedding.length} dimensions, expected ${this.dimensions}`);
      }
      vectors[index] = normalize(Float32Array.from(embedding as number[]));
    });
    // Count and uniqueness were checked, so every slot is filled.
    return vectors as Float32Array[];
  }

  /** Every error names the origin (never the path, query or key) so a log line says which provider failed. */
  private error(problem: string, { status, cause }: { status?: number; cause?: unknown } = {}) {
    return new EmbeddingProviderError(`embedding provider ${this.origin} ${problem}`, status, { cause });
  }

  /** A server may echo what it was sent (some print the key they rejected). */
  private redact(text: string): string {
    return this.#apiKey ? text.split(this.#apiKey).join('[redacted]') : text;
  }
}

/**
 * Feature hashing of the terms `analyze()` produces, so "similar" means "shares
 * (stemmed, identifier-split) terms". No model and fully deterministic: the
 * built-in provider for tests and for running hybrid search without a server.
 */
export class HashingEmbeddingProvider implements EmbeddingProvider {
  readonly model = 'hashing-v1';
  readonly dimensions: number;

  constructor({ dimensions = 256 }: { dimensions?: number } = {}) {
    this.dimensions = positiveInteger('dimensions', dimensions);
  }

  async embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]> {
    signal?.throwIfAborted();
    return texts.map((text) => this.vector(text));
  }

  private vector(text: string): Float32Array {
    const v = new Float32Array(this.dimensions);
    for (const [term, positions] of analyze(text)) {
      const hash = termHash(term) >>> 0; // the index's FNV-1a, unsigned
      // Sublinear tf, as in BM25-era vector models: a repeated word matters, but less each time.
      const weight = 1 + Math.log(positions.length);
      // The top bit signs the feature, so colliding terms cancel out on average
      // instead of always adding up (bucket uses the low bits for powers of two).
      const sign = hash >>> 31 ? -1 : 1;
      const bucket = hash % this.dimensions;
      v[bucket] = v[bucket]! + sign * weight;
    }
    return normalize(v);
  }
}
