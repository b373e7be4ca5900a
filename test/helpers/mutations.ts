// Byte-level mutations of valid files for fuzzing readers: truncation, bit flips, huge or tricky
// u64/u32 values spliced over any position (counts, lengths, offsets, type ids), inserted and deleted runs.
import fc from 'fast-check';

export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'xor'; at: number; mask: number }
  | { kind: 'u64'; at: number; value: bigint }
  | { kind: 'u32'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'delete'; at: number; length: number };

const HUGE_U64 = [0n, 1n, 2n ** 31n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 62n, 2n ** 63n, 2n ** 64n - 1n];
const TRICKY_U32 = [0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 12, 13, 39, 40, 0x03000000, 0x7fffffff, 0xffffffff];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('xor' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('u64' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...HUGE_U64), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.bigInt({ min: 0n, max: 4096n })) }),
  fc.record({ kind: fc.constant('u32' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...TRICKY_U32), fc.integer({ min: 0, max: 0xffffffff })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
);

/** Applies the mutations in order; positions wrap around the current length. */
export function mutate(base: Uint8Array, mutations: Mutation[]): Uint8Array {
  let bytes = base.slice();
  for (const m of mutations) {
    const at = bytes.byteLength === 0 ? 0 : m.at % bytes.byteLength;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (m.kind) {
      case 'truncate':
        bytes = bytes.slice(0, at);
        break;
      case 'xor':
        if (bytes.byteLength > 0) bytes[at] ^= m.mask;
        break;
      case 'u64':
        if (at + 8 <= bytes.byteLength) view.setBigUint64(at, m.value, true);
        break;
      case 'u32':
        if (at + 4 <= bytes.byteLength) view.setUint32(at, m.value, true);
        break;
      case 'insert': {
        const out = new Uint8Array(bytes.byteLength + m.bytes.byteLength);
        out.set(bytes.subarray(0, at));
        out.set(m.bytes, at);
        out.set(bytes.subarray(at), at + m.bytes.byteLength);
        bytes = out;
        break;
      }
      case 'delete':
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + m.length)]);
        break;
    }
  }
  return bytes;
}

