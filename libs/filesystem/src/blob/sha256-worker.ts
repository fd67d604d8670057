import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of a stream fed in batches. `update` resolves with the batch once it
 * is hashed (possibly a new view of the same memory), so the caller writes it
 * only after that and never touches it meanwhile.
 */
export interface BatchHasher {
  update(batch: Uint8Array): Promise<Uint8Array>;
  /** Lower-case hex; the hasher is done afterwards. */
  digest(): Promise<string>;
  /** Drops the state of an abandoned stream. */
  abort(): void;
}

/**
 * The worker keeps one hash per stream id and answers every `update` and
 * `digest` in the order received (`drop` gets no answer), so the main thread
 * matches answers to requests with one FIFO. Plain JS, evaluated as is: no
 * separate file for the bundler or the TS loader to know about.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const hashes = new Map();
parentPort.on('message', (message) => {
  if (message.op === 'drop') return void hashes.delete(message.id);
  let hash = hashes.get(message.id);
  if (!hash) hashes.set(message.id, (hash = createHash('sha256')));
  if (message.op === 'update') {
    hash.update(message.batch);
    const shared = message.batch.buffer instanceof SharedArrayBuffer;
    parentPort.postMessage({ batch: message.batch }, shared ? [] : [message.batch.buffer]);
  } else {
    hashes.delete(message.id);
    parentPort.postMessage({ hex: hash.digest('hex') });
  }
});
`;

interface Reply {
  batch?: Uint8Array;
  hex?: string;
}

type Message = { op: 'update'; id: number; batch: Uint8Array } | { op: 'digest' | 'drop'; id: number };

/** One hashing thread, shared by all streams; it keeps the process alive only while a request is pending. */
class HashThread {
  // No inherited execArgv: the parent's `-r @swc-node/register` would load a TS compiler into a thread that needs none.
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
  private readonly pending: Array<{ resolve: (reply: Reply) => void; reject: (error: unknown) => void }> = [];
  private failure: Error | null = null;

  constructor(private readonly onDead: (thread: HashThread) => void) {
    this.worker.on('message', (reply: Reply) => {
      this.pending.shift()?.resolve(reply);
      if (this.pending.length === 0) this.worker.unref();
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`SHA-256 worker exited with code ${code}`)));
    // After the listeners: adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  request(message: Message, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject });
      if (this.pending.length === 1) this.worker.ref();
      this.worker.postMessage(message, transfer);
    });
  }

  post(message: Message): void {
    if (!this.failure) this.worker.postMessage(message);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.onDead(this);
    for (const waiter of this.pending.splice(0)) waiter.reject(this.failure);
  }
}

let shared: HashThread | null = null;
let nextId = 0;

function hashThread(): HashThread {
  return (shared ??= new HashThread((dead) => {
    if (shared === dead) shared = null;
  }));
}

/** Starts the shared hashing thread ahead of the first large upload (it takes tens of ms to boot). */
export function prestartSha256Worker(): void {
  hashThread();
}

/** A BatchHasher on the shared hashing thread (started on first use, restarted after it died). */
export function workerSha256(): BatchHasher {
  const thread = hashThread();
  const id = nextId++;
  return {
    // Shared memory is read in place; any other batch's whole ArrayBuffer is transferred (nothing else may use it).
    async update(batch) {
      const inPlace = Object.prototype.toString.call(batch.buffer) === '[object SharedArrayBuffer]';
      const transfer = inPlace ? [] : [batch.buffer as ArrayBuffer];
      const reply = await thread.request({ op: 'update', id, batch }, transfer);
      return reply.batch!;
    },
    async digest() {
      return (await thread.request({ op: 'digest', id })).hex!;
    },
    abort() {
      thread.post({ op: 'drop', id });
    },
  };
}

/** Stops the shared hashing thread (tests); the next hasher starts a new one. */
export async function stopSha256Worker(): Promise<void> {
  const thread = shared;
  shared = null;
  await thread?.terminate();
}
