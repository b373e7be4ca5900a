// One-node ONNX models (MatMul, and ONNX Runtime's contrib MatMulNBits), serialized by a small
// protobuf writer so the bench needs no protobuf/onnx npm dependency. Field numbers are from
// onnx/onnx.proto (IR v8); only what ORT needs to load one op with constant weights is written.

const WIRE_VARINT = 0;
const WIRE_LEN = 2;

/** Protobuf writer: fields are appended in call order; nested messages are encoded bottom-up. */
class Message {
  parts = [];
  #varint(v) {
    // Non-negative integers only (all ONNX fields we write are), so no zig-zag/64-bit sign handling.
    const bytes = [];
    let n = BigInt(v);
    do {
      let b = Number(n & 0x7fn);
      n >>= 7n;
      if (n) b |= 0x80;
      bytes.push(b);
    } while (n);
    this.parts.push(Uint8Array.from(bytes));
  }
  #key(field, wire) {
    this.#varint((field << 3) | wire);
  }
  int(field, v) {
    this.#key(field, WIRE_VARINT);
    this.#varint(v);
    return this;
  }
  bytes(field, data) {
    this.#key(field, WIRE_LEN);
    this.#varint(data.length);
    this.parts.push(data);
    return this;
  }
  string(field, s) {
    return this.bytes(field, new TextEncoder().encode(s));
  }
  message(field, msg) {
    return this.bytes(field, msg.encode());
  }
  encode() {
    const out = new Uint8Array(this.parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

// TensorProto.DataType
const FLOAT = 1;
const UINT8 = 2;

/** ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1}}}}} */
function valueInfo(name, dims) {
  const shape = new Message();
  for (const d of dims) shape.message(1, new Message().int(1, d));
  const tensorType = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/** TensorProto{dims=1 (repeated, unpacked is valid), data_type=2, name=8, raw_data=9 (little-endian)} */
function tensor(name, dims, dataType, values) {
  const t = new Message();
  for (const d of dims) t.int(1, d);
  t.int(2, dataType).string(8, name);
  // Typed arrays are little-endian on every platform Node/browsers run on, as raw_data requires.
  return t.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** AttributeProto{name=1, i=3, type=20 (AttributeType.INT = 2)} */
const intAttribute = (name, value) => new Message().string(1, name).int(3, value).int(20, 2);

/**
 * ModelProto{ir_version=1, producer_name=2, graph=7, opset_import=8: OperatorSetIdProto{domain=1, version=2}}
 * around one node Y[m, n] = f(X[m, k]) with constant initializers.
 * NodeProto{input=1, output=2, name=3, op_type=4, attribute=5, domain=7};
 * GraphProto{node=1, name=2, initializer=5, input=11, output=12}.
 */
function oneNodeModel({ m, k, n, opType, domain = '', inputs, initializers, attributes = [], opsets }) {
  const node = new Message();
  for (const name of ['X', ...inputs]) node.string(1, name);
  node.string(2, 'Y').string(3, 'op').string(4, opType);
  for (const a of attributes) node.message(5, a);
  if (domain) node.string(7, domain);
  const graph = new Message().message(1, node).string(2, 'bitsieve-bench');
  for (const t of initializers) graph.message(5, t);
  graph.message(11, valueInfo('X', [m, k])).message(12, valueInfo('Y', [m, n]));
  const model = new Message().int(1, 8).string(2, 'bitsieve-bench').message(7, graph);
  for (const [opsetDomain, version] of opsets) model.message(8, new Message().string(1, opsetDomain).int(2, version));
  return model.encode();
}

/**
 * Y[m,n] = X[m,k] · W[k,n] with W baked in as an initializer. ONNX MatMul takes B as [K,N]
 * (unlike bitsieve's [out,in]), so pass the transposed weights.
 * @param {Float32Array} wKN row-major [k, n]
 * @returns {Uint8Array} a serialized ModelProto
 */
export function matMulModel(m, k, n, wKN) {
  if (wKN.length !== k * n) throw new Error(`weights: expected ${k * n} floats, got ${wKN.length}`);
  return oneNodeModel({ m, k, n, opType: 'MatMul', inputs: ['W'], initializers: [tensor('W', [k, n], FLOAT, wKN)], opsets: [['', 17]] });
}

/**
 * Y[m,n] = X[m,k] · dequant(B)ᵀ with ONNX Runtime's contrib op com.microsoft.MatMulNBits (lowbit.md
 * §2.5): B uint8 [N, K/block, block·bits/8] holds, for each output n, its K codes block by block,
 * consecutive codes packed LSB first (4-bit: even k in the low nibble); scales f32 [N·K/block];
 * w = (code − zero)·scale. The optional zero_points are uint8 [N, ⌈(K/block)·bits/8⌉], packed the
 * same way; without them ORT uses 2^(bits−1).
 * @param {{ bits: 4 | 8, groupSize: number, codes: Uint8Array, scales: Float32Array, zeros?: Uint8Array }} q
 *   codes row-major [n, k] (bitsieve's [out, in]), one scale (and zero) per group of groupSize inputs
 */
export function matMulNBitsModel(m, k, n, { bits, groupSize, codes, scales, zeros }) {
  if (bits !== 4 && bits !== 8) throw new Error(`MatMulNBits model: bits ${bits} not packed here (4 or 8)`);
  if (k % groupSize !== 0 || codes.length !== n * k || scales.length !== (n * k) / groupSize) {
    throw new Error(`MatMulNBits model: codes/scales do not match [${n}, ${k}] in groups of ${groupSize}`);
  }
  const blocks = k / groupSize;
  // Row-major [n, k] codes are already [N, blocks, block] in order; only the bit packing remains.
  const b = bits === 8 ? codes : packNibbles(codes);
  const initializers = [tensor('B', [n, blocks, (groupSize * bits) / 8], UINT8, b), tensor('scales', [n * blocks], FLOAT, scales)];
  const inputs = ['B', 'scales'];
  if (zeros) {
    const perRow = Math.ceil((blocks * bits) / 8);
    const packed = new Uint8Array(n * perRow);
    for (let r = 0; r < n; r++) {
      const row = zeros.subarray(r * blocks, (r + 1) * blocks);
      packed.set(bits === 8 ? row : packNibbles(row, true), r * perRow);
    }
    initializers.push(tensor('zero_points', [n * perRow], UINT8, packed));
    inputs.push('zero_points');
  }
  // accuracy_level left unset (0), as transformers.js' q4 models: in ORT-web 1.30, 4 (int8 activations)
  // gave the same outputs at the same speed (4096² GEMV, ~0.2 s).
  const attributes = [['K', k], ['N', n], ['bits', bits], ['block_size', groupSize]].map(([name, v]) => intAttribute(name, v));
  return oneNodeModel({
    m, k, n, opType: 'MatMulNBits', domain: 'com.microsoft', inputs, initializers, attributes,
    opsets: [['', 17], ['com.microsoft', 1]],
  });
}

/** 4-bit values → bytes, element 2t in the low nibble of byte t; `pad`: an odd count gets a zero high nibble. */
function packNibbles(values, pad = false) {
  if (values.length % 2 && !pad) throw new Error('packNibbles: odd count');
  const out = new Uint8Array(Math.ceil(values.length / 2));
  for (let t = 0; t < out.length; t++) out[t] = values[2 * t] | ((values[2 * t + 1] ?? 0) << 4);
  return out;
}
