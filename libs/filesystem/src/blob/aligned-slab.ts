/** What this module uses of WebAssembly (the lib typings here have no DOM/WebAssembly types). */
interface SharedMemoryConstructor {
  new (descriptor: { initial: number; maximum: number; shared: true }): { buffer: SharedArrayBuffer };
}

const WASM_PAGE_BYTES = 64 * 1024;
/** Slabs kept for the next uploads; more than this many concurrent big uploads allocate fresh ones. */
const POOLED_SLABS = 2;

/**
 * `slots` buffers of `slotBytes` each, page-aligned and shared between threads:
 * O_DIRECT writes need aligned memory, which plain Buffers do not promise, and
 * the hashing thread reads shared memory without a copy or a transfer.
 * Shared WebAssembly memory is the one page-aligned allocation JS offers.
 */
export class AlignedSlab {
  readonly memory: SharedArrayBuffer;
  private readonly free: Uint8Array[] = [];

  constructor(
    readonly slotBytes: number,
    readonly slots: number,
  ) {
    if (slotBytes % WASM_PAGE_BYTES !== 0) throw new Error('Slab slots must be whole 64 KiB pages');
    const pages = (slotBytes / WASM_PAGE_BYTES) * slots;
    const Memory = (globalThis as unknown as { WebAssembly: { Memory: SharedMemoryConstructor } }).WebAssembly
      .Memory;
    this.memory = new Memory({ initial: pages, maximum: pages, shared: true }).buffer;
    this.reset();
  }

  /** A free slot, or null when all are taken. */
  take(): Uint8Array | null {
    return this.free.pop() ?? null;
  }

  /** Gives back the slot `view` lies in (any view of it, e.g. a shorter tail). */
  give(view: Uint8Array): void {
    const start = view.byteOffset - (view.byteOffset % this.slotBytes);
    this.free.push(new Uint8Array(this.memory, start, this.slotBytes));
  }

  /** True when `view` lies in this slab's memory. */
  holds(view: Uint8Array): boolean {
    return view.buffer === this.memory;
  }

  /** Every slot free again. */
  reset(): void {
    this.free.length = 0;
    for (let i = this.slots - 1; i >= 0; i -= 1) {
      this.free.push(new Uint8Array(this.memory, i * this.slotBytes, this.slotBytes));
    }
  }
}

const pool: AlignedSlab[] = [];

/** A slab of this shape from the pool, or a new one. */
export function takeSlab(slotBytes: number, slots: number): AlignedSlab {
  const index = pool.findIndex((slab) => slab.slotBytes === slotBytes && slab.slots === slots);
  const slab = index >= 0 ? pool.splice(index, 1)[0]! : new AlignedSlab(slotBytes, slots);
  slab.reset();
  return slab;
}

/** Returns a slab whose slots nobody uses any more (every write and hash settled). */
export function returnSlab(slab: AlignedSlab): void {
  if (pool.length < POOLED_SLABS) pool.push(slab);
}
