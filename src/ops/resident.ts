// Base of everything that owns blocks of wasm memory: explicit dispose() / `using`, with a
// FinalizationRegistry only as a safety net for objects the caller forgot.
import { BitsieveError } from '../runtime/errors.js';
import type { Heap } from '../runtime/heap.js';

interface Held {
  heap: Heap;
  blocks: number[];
}

let registry: FinalizationRegistry<Held> | undefined;

/** Created on first use, so importing bitsieve has no side effects. */
function finalizer(): FinalizationRegistry<Held> | undefined {
  if (!registry && typeof FinalizationRegistry === 'function') {
    registry = new FinalizationRegistry<Held>(({ heap, blocks }) => blocks.forEach((ptr) => heap.release(ptr)));
  }
  return registry;
}

export abstract class Resident {
  protected readonly heap: Heap;
  private readonly label: string;
  private held: Held | undefined;
  private isDisposed = false;
  private ownedBytes = 0;

  protected constructor(heap: Heap, label: string) {
    this.heap = heap;
    this.label = label;
  }

  /** Allocates a block owned by this object until dispose(). */
  protected own(bytes: number): number {
    const ptr = this.heap.alloc(bytes);
    if (!this.held) {
      this.held = { heap: this.heap, blocks: [] };
      finalizer()?.register(this, this.held, this);
    }
    this.held.blocks.push(ptr);
    this.ownedBytes += bytes;
    return ptr;
  }

  /** Bytes of wasm memory this object holds (its blocks as requested; the heap aligns each to 16 bytes). 0 once disposed. */
  get residentBytes(): number {
    return this.ownedBytes;
  }

  get disposed(): boolean {
    return this.isDisposed;
  }

  /** Frees this object's wasm memory. Idempotent; any later use throws E_DISPOSED. */
  dispose(): void {
    if (this.isDisposed) return;
    this.isDisposed = true;
    if (this.held) {
      finalizer()?.unregister(this);
      this.held.blocks.forEach((ptr) => this.heap.release(ptr));
      this.held = undefined;
    }
    this.ownedBytes = 0;
  }

  /** `using layer = bs.linear(...)` disposes at scope exit. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  protected assertLive(): void {
    if (this.isDisposed) throw new BitsieveError('E_DISPOSED', `${this.label}: expected a live object, received one that was disposed`);
  }
}
