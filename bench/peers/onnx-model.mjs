// A one-node ONNX MatMul model, serialized by a ~60-line protobuf writer so the bench needs no
// protobuf/onnx npm dependency. Field numbers are from onnx/onnx.proto (IR v8); only what ORT
// needs to load a MatMul with a constant weight is written.

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

const FLOAT = 1; // TensorProto.DataType.FLOAT

/** ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1: {elem_type=1, shape=2: {dim=1: {dim_value=1}}}}} */
function valueInfo(name, dims) {
  const shape = new Message();
  for (const d of dims) shape.message(1, new Message().int(1, d));
  const tensorType = new Message().int(1, FLOAT).message(2, shape);
  return new Message().string(1, name).message(2, new Message().message(1, tensorType));
}

/** TensorProto{dims=1 (repeated, unpacked is valid), data_type=2, name=8, raw_data=9 (little-endian f32)} */
function tensor(name, dims, values) {
  const t = new Message();
  for (const d of dims) t.int(1, d);
  t.int(2, FLOAT).string(8, name);
  // Float32Array is little-endian on every platform Node/browsers run on, as raw_data requires.
  return t.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/**
 * Y[m,n] = X[m,k] · W[k,n] with W baked in as an initializer. ONNX MatMul takes B as [K,N]
 * (unlike bitsieve's [out,in]), so pass the transposed weights.
 * @param {Float32Array} wKN row-major [k, n]
 * @returns {Uint8Array} a serialized ModelProto
 */
export function matMulModel(m, k, n, wKN) {
  if (wKN.length !== k * n) throw new Error(`weights: expected ${k * n} floats, got ${wKN.length}`);
  // NodeProto{input=1, output=2, name=3, op_type=4}
  const node = new Message().string(1, 'X').string(1, 'W').string(2, 'Y').string(3, 'matmul').string(4, 'MatMul');
  // GraphProto{node=1, name=2, initializer=5, input=11, output=12}
  const graph = new Message()
    .message(1, node)
    .string(2, 'bitsieve-bench')
    .message(5, tensor('W', [k, n], wKN))
    .message(11, valueInfo('X', [m, k]))
    .message(12, valueInfo('Y', [m, n]));
  // ModelProto{ir_version=1, producer_name=2, graph=7, opset_import=8: OperatorSetIdProto{domain=1, version=2}}
  return new Message()
    .int(1, 8)
    .string(2, 'bitsieve-bench')
    .message(7, graph)
    .message(8, new Message().string(1, '').int(2, 17))
    .encode();
}
