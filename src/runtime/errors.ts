/** Stable error codes; match on `err.code`, never on the message. */
export type BitsieveErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_FORMAT'
  | 'E_RANGE'
  | 'E_UNSUPPORTED'
  | 'E_DISPOSED'
  | 'E_CORRUPT'
  | 'E_WASM';

/** The only error class bitsieve throws. The message says what was expected and what was received. */
export class BitsieveError extends Error {
  readonly code: BitsieveErrorCode;

  constructor(code: BitsieveErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`);
    this.name = 'BitsieveError';
    this.code = code;
    if (options?.cause !== undefined) (this as { cause?: unknown }).cause = options.cause;
  }
}

/** A short description of any received value, for "expected X, received Y" messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isFinite(value) ? `number ${value}` : `${value}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (ArrayBuffer.isView(value)) {
    const length = (value as { length?: number }).length ?? value.byteLength;
    return `${value.constructor.name}(${length})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}
