// Little-endian byte builders for hand-made file fixtures (independent of the writers under test),
// and deterministic random bytes.

/** Deterministic pseudo-random bytes (xorshift32), so failures reproduce. */
export function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s >>> 24;
  }
  return out;
}

export function u8(n: number): Uint8Array {
  return Uint8Array.of(n);
}

export function u32(n: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, n, true);
  return out;
}

export function u64(n: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

export function f32(x: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setFloat32(0, x, true);
  return out;
}

/** UTF-8 bytes of a string (no length). */
export function utf8(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A GGUF string: u64 length + UTF-8 bytes. */
export function gstr(s: string | Uint8Array): Uint8Array {
  const bytes = typeof s === 'string' ? utf8(s) : s;
  return concat(u64(bytes.byteLength), bytes);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Hex of bytes, for readable assertion messages. */
export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Bytes from hex text; whitespace and `#`-comments to the end of a line are ignored. */
export function fromHex(text: string): Uint8Array {
  const digits = text.replace(/#[^\n]*/g, '').replace(/\s+/g, '');
  return Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16));
}
