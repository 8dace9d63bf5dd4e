// Model conversion, run when models are installed (never at run time): rewrites an ONNX graph
// whose batch dimension is fixed at 1 into one with a symbolic batch dimension. Works on the
// protobuf wire format directly: only the fields named below are decoded and re-encoded, every
// other byte is copied as it was (no schema to keep in step with onnx.proto, no field dropped),
// so the same input always gives the same output bytes.

/** Field numbers of onnx.proto (onnx/onnx.proto, IR version 3+) that the rewrite touches. */
const MODEL_GRAPH = 7;
const GRAPH_NODE = 1;
const GRAPH_INITIALIZER = 5;
const GRAPH_INPUT = 11;
const GRAPH_OUTPUT = 12;
const GRAPH_VALUE_INFO = 13;
const NODE_INPUT = 1;
const NODE_OUTPUT = 2;
const NODE_OP_TYPE = 4;
const VALUE_INFO_NAME = 1;
const VALUE_INFO_TYPE = 2;
const TYPE_TENSOR = 1;
const TENSOR_TYPE_SHAPE = 2;
const SHAPE_DIM = 1;
const DIM_PARAM = 2;
const TENSOR_DATA_TYPE = 2;
const TENSOR_NAME = 8;
const TENSOR_RAW_DATA = 9;
const INT64 = 7;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** Name of the symbolic batch dimension written into the graph's inputs and outputs. */
export const BATCH_DIM_PARAM = 'batch';

/** One field as it appears on the wire: its key, and the payload of length-delimited fields. */
interface WireField {
  readonly number: number;
  readonly wireType: number;
  /** The whole field, key included, exactly as read. */
  readonly raw: Uint8Array;
  /** Payload of a length-delimited field (sub-message, string, bytes). */
  readonly payload?: Uint8Array;
}

/** What {@link withSymbolicBatch} changed, for the manifest and the docs. */
export interface BatchConversion {
  readonly bytes: Uint8Array;
  /** Graph inputs and outputs whose first dimension became {@link BATCH_DIM_PARAM}. */
  readonly tensors: readonly string[];
  /** Reshape target-shape initialisers whose leading 1 became 0 ("copy the batch from the input"). */
  readonly reshapes: readonly string[];
  /** `value_info` entries dropped (intermediate shape hints recorded with batch 1; ORT re-infers them). */
  readonly droppedValueInfo: number;
}

/** Why a graph cannot be given a symbolic batch dimension. */
export class BatchConversionError extends Error {
  override readonly name = 'BatchConversionError';
}

/**
 * Makes the first dimension of the graph's inputs and outputs symbolic. A `Reshape` whose target
 * shape is a constant starting with 1 (PyTorch's `x.view(1, -1)` exported as `[1, -1]`) would
 * fold a batch into one row, so its leading 1 becomes 0, which Reshape (opset 5–13, and later
 * with `allowzero = 0`) reads as "the input's dimension": the batch. Reshapes whose shape is
 * computed (`Shape → Gather → Concat`) already follow the batch. A constant shape this code cannot
 * rewrite (a `Constant` node, `int64_data`, shared with another operator) is refused, not guessed.
 */
export function withSymbolicBatch(model: Uint8Array): BatchConversion {
  const modelFields = readFields(model);
  const graphField = modelFields.find((f) => f.number === MODEL_GRAPH && f.wireType === WIRE_LEN);
  if (!graphField?.payload) throw new BatchConversionError('not an ONNX model: no graph');
  const graph = readFields(graphField.payload);

  const initializers = new Map<string, number>();
  graph.forEach((f, i) => {
    if (f.number === GRAPH_INITIALIZER) initializers.set(stringField(f.payload!, TENSOR_NAME), i);
  });
  const nodes = graph.filter((f) => f.number === GRAPH_NODE).map((f) => readFields(f.payload!));
  const constantOutputs = new Set(nodes.filter((n) => stringField(n, NODE_OP_TYPE) === 'Constant').flatMap((n) => strings(n, NODE_OUTPUT)));

  const reshapeShapes = new Set<string>();
  const otherUses = new Set<string>();
  for (const node of nodes) {
    const inputs = strings(node, NODE_INPUT);
    const isReshape = stringField(node, NODE_OP_TYPE) === 'Reshape';
    inputs.forEach((name, i) => (isReshape && i === 1 ? reshapeShapes : otherUses).add(name));
  }

  const replaced = new Map<number, Uint8Array>();
  const reshapes: string[] = [];
  for (const shape of reshapeShapes) {
    if (constantOutputs.has(shape)) throw new BatchConversionError(`Reshape shape ${shape} comes from a Constant node (not supported)`);
    const index = initializers.get(shape);
    if (index === undefined) continue; // computed at run time from the input's shape
    const tensor = readFields(graph[index]!.payload!);
    const leading = leadingInt64(tensor, shape);
    if (leading !== 1n) continue;
    if (otherUses.has(shape)) throw new BatchConversionError(`Reshape shape ${shape} is also used by another operator`);
    replaced.set(index, lengthDelimited(GRAPH_INITIALIZER, writeFields(tensor.map((f) => (f.number === TENSOR_RAW_DATA ? zeroLeadingInt64(f) : f)))));
    reshapes.push(shape);
  }

  const tensors: string[] = [];
  let droppedValueInfo = 0;
  const rewritten: Uint8Array[] = [];
  graph.forEach((field, i) => {
    const own = replaced.get(i);
    if (own) return rewritten.push(own);
    if (field.number === GRAPH_VALUE_INFO) return droppedValueInfo++;
    const isInput = field.number === GRAPH_INPUT && !initializers.has(stringField(field.payload!, VALUE_INFO_NAME));
    if (isInput || field.number === GRAPH_OUTPUT) {
      tensors.push(stringField(field.payload!, VALUE_INFO_NAME));
      return rewritten.push(lengthDelimited(field.number, symbolicFirstDim(field.payload!)));
    }
    return rewritten.push(field.raw);
  });

  const bytes = concat(modelFields.map((f) => (f === graphField ? lengthDelimited(MODEL_GRAPH, concat(rewritten)) : f.raw)));
  return { bytes, tensors, reshapes, droppedValueInfo };
}

/** A ValueInfoProto with the first dimension of its tensor shape replaced by {@link BATCH_DIM_PARAM}. */
function symbolicFirstDim(valueInfo: Uint8Array): Uint8Array {
  const name = stringField(valueInfo, VALUE_INFO_NAME);
  const edit = (bytes: Uint8Array, path: readonly number[]): Uint8Array => {
    const fields = readFields(bytes);
    const index = fields.findIndex((f) => f.number === path[0] && f.wireType === WIRE_LEN);
    if (index < 0) throw new BatchConversionError(`${name}: no tensor shape to make batched`);
    const inner =
      path.length === 1
        ? concat([key(DIM_PARAM, WIRE_LEN), varint(BATCH_DIM_PARAM.length), new TextEncoder().encode(BATCH_DIM_PARAM)])
        : edit(fields[index]!.payload!, path.slice(1));
    return writeFields(fields.map((f, i) => (i === index ? { number: f.number, wireType: WIRE_LEN, raw: lengthDelimited(f.number, inner) } : f)));
  };
  return edit(valueInfo, [VALUE_INFO_TYPE, TYPE_TENSOR, TENSOR_TYPE_SHAPE, SHAPE_DIM]);
}

function leadingInt64(tensor: readonly WireField[], name: string): bigint | undefined {
  const dataType = tensor.find((f) => f.number === TENSOR_DATA_TYPE);
  if (!dataType || readVarint(dataType.raw, keyLength(dataType.raw)).value !== INT64) return undefined;
  const raw = tensor.find((f) => f.number === TENSOR_RAW_DATA)?.payload;
  if (!raw) throw new BatchConversionError(`Reshape shape ${name} is stored as int64_data (not supported)`);
  return raw.length >= 8 ? new DataView(raw.buffer, raw.byteOffset, 8).getBigInt64(0, true) : undefined;
}

function zeroLeadingInt64(field: WireField): WireField {
  const payload = Uint8Array.from(field.payload!);
  payload.fill(0, 0, 8);
  return { number: field.number, wireType: WIRE_LEN, raw: lengthDelimited(field.number, payload), payload };
}

// ---- protobuf wire format (protobuf.dev/programming-guides/encoding) ----

function readFields(bytes: Uint8Array): WireField[] {
  const fields: WireField[] = [];
  let at = 0;
  while (at < bytes.length) {
    const start = at;
    const tag = readVarint(bytes, at);
    at = tag.next;
    const number = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    let payload: Uint8Array | undefined;
    if (wireType === WIRE_VARINT) at = readVarint(bytes, at).next;
    else if (wireType === WIRE_FIXED64) at += 8;
    else if (wireType === WIRE_FIXED32) at += 4;
    else if (wireType === WIRE_LEN) {
      const length = readVarint(bytes, at);
      payload = bytes.subarray(length.next, length.next + length.value);
      at = length.next + length.value;
    } else throw new BatchConversionError(`unsupported protobuf wire type ${wireType}`);
    if (at > bytes.length) throw new BatchConversionError('truncated protobuf message');
    fields.push({ number, wireType, raw: bytes.subarray(start, at), ...(payload ? { payload } : {}) });
  }
  return fields;
}

function readVarint(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let scale = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    value += (bytes[i]! & 0x7f) * scale;
    scale *= 128;
    if (bytes[i]! < 0x80) return { value, next: i + 1 };
  }
  throw new BatchConversionError('malformed protobuf varint');
}

function keyLength(raw: Uint8Array): number {
  return readVarint(raw, 0).next;
}

function varint(value: number): Uint8Array {
  const out: number[] = [];
  let v = value;
  while (v >= 0x80) {
    out.push((v % 128) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Uint8Array.from(out);
}

function key(number: number, wireType: number): Uint8Array {
  return varint(number * 8 + wireType);
}

function lengthDelimited(number: number, payload: Uint8Array): Uint8Array {
  return concat([key(number, WIRE_LEN), varint(payload.length), payload]);
}

function writeFields(fields: readonly WireField[]): Uint8Array {
  return concat(fields.map((f) => f.raw));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function strings(fields: readonly WireField[], number: number): string[] {
  return fields.filter((f) => f.number === number && f.payload).map((f) => new TextDecoder().decode(f.payload));
}

function stringField(message: Uint8Array | readonly WireField[], number: number): string {
  const fields = message instanceof Uint8Array ? readFields(message) : message;
  return strings(fields, number)[0] ?? '';
}
