// A restricted unpickler for the pickles torch.save writes (protocols 2–5). Python's pickle is a small stack
// machine whose GLOBAL and REDUCE opcodes import and call arbitrary functions — the reason a pytorch_model.bin
// from the internet can run code. Here nothing is imported or called: GLOBAL yields a reference only for names on
// an allow-list of tensor-rebuild functions, storage types and dtypes, and REDUCE applies a TypeScript
// implementation of that function which just records its arguments as data. Any other global is refused before
// anything else happens. The machine is iterative with bounded stack and memo, so no input can recurse or grow
// memory faster than its own length.

import { UserError } from '../errors';

/** A Python tuple (lists are plain arrays; the distinction matters because tuples are immutable). */
export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}

export type PyKey = string | number | bigint | boolean | null;

/** A dict or OrderedDict; `state` holds what BUILD set on it (torch stores a state dict's `_metadata` there). */
export class PyDict {
  readonly map = new Map<PyKey, PyValue>();
  state: PyValue = null;
}

/** An allow-listed global: a storage type (`torch.FloatStorage`) or dtype (`torch.float16`) or callable name. */
export class PyGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** What `_rebuild_tensor_v2`/`_v3` describe: a strided view of a storage. Built into a tensor by the caller. */
export class TensorRecipe {
  constructor(
    /** Whatever persistentLoad returned for the storage. */
    readonly storage: PyValue,
    readonly storageOffset: number,
    readonly size: number[],
    readonly stride: number[],
    /** For `_rebuild_tensor_v3`, the dtype global (e.g. `torch.float16`) that overrides the storage's. */
    readonly dtype?: PyGlobal,
  ) {}
}

/** An opaque value supplied by persistentLoad (for torch: a storage record). */
export class PyOpaque {
  constructor(readonly value: unknown) {}
}

export type PyValue = null | boolean | number | bigint | string | Uint8Array | PyValue[] | PyTuple | PyDict | PyGlobal | TensorRecipe | PyOpaque;

export interface UnpickleOptions {
  /** The file the pickle came from, for error messages. */
  file: string;
  /** Resolves a BINPERSID id (torch: `('storage', type, key, location, numel)`) to a value. */
  persistentLoad: (pid: PyValue) => PyValue;
  /** Stack + mark-stack items and memo entries allowed; defaults suit any real state dict. */
  maxStack?: number;
  maxMemo?: number;
}

const STORAGE_TYPES = [
  'FloatStorage', 'HalfStorage', 'BFloat16Storage', 'DoubleStorage', 'LongStorage',
  'IntStorage', 'ShortStorage', 'CharStorage', 'ByteStorage', 'BoolStorage',
];
const DTYPES = [
  'float32', 'float', 'float16', 'half', 'bfloat16', 'float64', 'double', 'int64', 'long',
  'int32', 'int', 'int16', 'short', 'int8', 'uint8', 'bool',
];
type Builder = (args: PyValue[], fail: (problem: string) => never) => PyValue;

/** Allow-listed callables and what "calling" each means: building a data record, never running anything. */
const CALLABLES: Record<string, Builder> = {
  'collections.OrderedDict': (args, fail) => {
    if (args.length !== 0) fail('collections.OrderedDict is called with arguments; only an empty OrderedDict is expected');
    return new PyDict();
  },
  'torch._utils._rebuild_tensor_v2': (args, fail) => {
    if (args.length < 6 || args.length > 7) fail(`_rebuild_tensor_v2 expects 6 or 7 arguments, got ${args.length}`);
    return recipe(args, undefined, fail);
  },
  'torch._utils._rebuild_tensor_v3': (args, fail) => {
    if (args.length < 7 || args.length > 8) fail(`_rebuild_tensor_v3 expects 7 or 8 arguments, got ${args.length}`);
    const dtype = args[6];
    if (!(dtype instanceof PyGlobal) || dtype.module !== 'torch' || !DTYPES.includes(dtype.name)) {
      fail('_rebuild_tensor_v3 is given something other than a torch dtype');
    }
    return recipe(args, dtype as PyGlobal, fail);
  },
  // A Parameter is its tensor plus requires_grad and hooks, which inference and our training do not take from files.
  'torch._utils._rebuild_parameter': (args, fail) => parameter(args, 3, fail),
  'torch._utils._rebuild_parameter_with_state': (args, fail) => parameter(args, 4, fail),
};

function parameter(args: PyValue[], arity: number, fail: (problem: string) => never): PyValue {
  if (args.length !== arity || !(args[0] instanceof TensorRecipe)) fail('a Parameter is rebuilt from something other than a tensor');
  return args[0];
}

function recipe(args: PyValue[], dtype: PyGlobal | undefined, fail: (problem: string) => never): TensorRecipe {
  const [storage, offset, size, stride] = args;
  const ints = (v: PyValue, what: string): number[] => {
    if (!(v instanceof PyTuple) || !v.items.every((x) => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0)) {
      fail(`tensor ${what} is not a tuple of non-negative integers`);
    }
    return v.items as number[];
  };
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) fail('tensor storage offset is not a non-negative integer');
  const sizes = ints(size, 'size');
  const strides = ints(stride, 'stride');
  if (sizes.length !== strides.length) fail(`tensor has ${sizes.length} sizes but ${strides.length} strides`);
  return new TensorRecipe(storage, offset, sizes, strides, dtype);
}

function allowed(module: string, name: string): boolean {
  const q = `${module}.${name}`;
  if (q in CALLABLES) return true;
  if (module === 'torch') return STORAGE_TYPES.includes(name) || DTYPES.includes(name) || name === 'UntypedStorage';
  return q === 'torch.storage.UntypedStorage';
}

const DAMAGED_FIX =
  'The file is damaged or is not a plain PyTorch state dict; re-save it with `torch.save(model.state_dict(), path)` or, better, convert it to safetensors.';

/** Runs the pickle in `bytes` and returns its result. Throws UserError on anything not allowed or malformed. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions): PyValue {
  const maxStack = options.maxStack ?? 10_000_000;
  const maxMemo = options.maxMemo ?? 10_000_000;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  // MARK saves the current stack and starts an empty one, so "everything since the mark" is just the stack.
  let stack: PyValue[] = [];
  const marks: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  let pos = 0;
  let opPos = 0;

  /** Items held in the stacks saved by MARK, so the limit covers everything on the machine. */
  let saved = 0;

  const fail: (problem: string) => never = (problem) => {
    throw new UserError(`data.pkl, byte ${opPos}: ${problem}`, { file: options.file }, DAMAGED_FIX);
  };
  const need = (n: number): number => {
    if (n < 0 || pos + n > bytes.byteLength) fail('the pickle ends in the middle of an instruction');
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => view.getUint8(need(1));
  const u16 = () => view.getUint16(need(2), true);
  const u32 = () => view.getUint32(need(4), true);
  const u64 = (): number => {
    const v = view.getBigUint64(need(8), true);
    if (v > BigInt(bytes.byteLength)) fail(`length ${v} is larger than the pickle`);
    return Number(v);
  };
  const push = (v: PyValue) => {
    if (stack.length + saved + marks.length >= maxStack) fail(`more than ${maxStack} values on the pickle stack`);
    stack.push(v);
  };
  const pop = (): PyValue => {
    const v = stack.pop();
    if (v === undefined) fail('the pickle pops from an empty stack');
    return v as PyValue;
  };
  const top = (): PyValue => {
    const v = stack[stack.length - 1];
    if (v === undefined) fail('the pickle reads an empty stack');
    return v as PyValue;
  };
  /** Pops everything pushed since the last MARK. */
  const popMark = (): PyValue[] => {
    const items = stack;
    const previous = marks.pop();
    if (previous === undefined) fail('the pickle closes a mark that was never opened');
    stack = previous as PyValue[];
    saved -= stack.length;
    return items;
  };
  const text = (n: number): string => {
    const at = need(n);
    try {
      return utf8.decode(bytes.subarray(at, at + n));
    } catch {
      return fail('a string is not valid UTF-8');
    }
  };
  const raw = (n: number): Uint8Array => {
    const at = need(n);
    return bytes.slice(at, at + n);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0 || end - pos > 1000) fail('a GLOBAL name is not terminated');
    const s = text(end - pos);
    pos++;
    return s;
  };
  const memoPut = (index: number, v: PyValue) => {
    if (!memo.has(index) && memo.size >= maxMemo) fail(`more than ${maxMemo} memo entries`);
    memo.set(index, v);
  };
  const memoGet = (index: number) => {
    const v = memo.get(index);
    if (v === undefined) fail(`memo entry ${index} is read before it is written`);
    push(v as PyValue);
  };
  const global = (module: string, name: string) => {
    if (!allowed(module, name)) {
      throw new UserError(
        `refuses to load: the pickle asks for global \`${module}.${name}\`, which is not a tensor-rebuild function ` +
          '(loading this file with torch.load could run arbitrary code)',
        { file: options.file },
        'Do not open it with torch.load either. If you trust its source, convert the checkpoint to safetensors in an isolated ' +
          'Python environment (`model.save_pretrained(dir, safe_serialization=True)`), or use a model that ships model.safetensors.',
      );
    }
    push(new PyGlobal(module, name));
  };
  const call = (callee: PyValue, args: PyValue) => {
    if (!(callee instanceof PyGlobal) || !(args instanceof PyTuple)) fail('REDUCE is applied to something that is not a call');
    const build = CALLABLES[(callee as PyGlobal).qualified];
    if (build === undefined) fail(`\`${(callee as PyGlobal).qualified}\` is not callable here`);
    push(build((args as PyTuple).items, fail));
  };
  const setItems = (dict: PyValue, items: PyValue[]) => {
    if (!(dict instanceof PyDict)) fail('SETITEM(S) targets something that is not a dict');
    if (items.length % 2 !== 0) fail('SETITEMS has an odd number of values');
    for (let i = 0; i < items.length; i += 2) {
      const key = items[i];
      if (typeof key === 'object' && key !== null) fail('a dict key is not a string or number');
      (dict as PyDict).map.set(key as PyKey, items[i + 1]);
    }
  };
  const appendItems = (list: PyValue, items: PyValue[]) => {
    if (!Array.isArray(list)) fail('APPEND(S) targets something that is not a list');
    for (const item of items) {
      if ((list as PyValue[]).length >= maxStack) fail(`a list grows past ${maxStack} items`);
      (list as PyValue[]).push(item);
    }
  };
  const long = (n: number): number | bigint => {
    if (n > 64) fail(`an integer of ${n} bytes is too large for a tensor checkpoint`);
    const at = need(n);
    let v = 0n;
    for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
    if (n > 0 && bytes[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  };

  for (;;) {
    opPos = pos;
    const op = u8();
    switch (op) {
      case 0x80: { // PROTO
        const version = u8();
        if (version < 2 || version > 5) fail(`pickle protocol ${version} is not supported (expected 2 to 5)`);
        break;
      }
      case 0x95: u64(); break; // FRAME: a length hint only
      case 0x2e: { // STOP
        const result = pop();
        if (marks.length !== 0) fail('the pickle stops with a mark still open');
        return result;
      }
      case 0x28: // MARK
        if (stack.length + saved + marks.length >= maxStack) fail(`more than ${maxStack} values on the pickle stack`);
        saved += stack.length;
        marks.push(stack);
        stack = [];
        break;
      case 0x30: pop(); break; // POP
      case 0x31: popMark(); break; // POP_MARK
      case 0x32: push(top()); break; // DUP
      case 0x7d: push(new PyDict()); break; // EMPTY_DICT
      case 0x5d: push([]); break; // EMPTY_LIST
      case 0x29: push(new PyTuple([])); break; // EMPTY_TUPLE
      case 0x58: push(text(u32())); break; // BINUNICODE
      case 0x8c: push(text(u8())); break; // SHORT_BINUNICODE
      case 0x8d: push(text(u64())); break; // BINUNICODE8
      case 0x42: push(raw(u32())); break; // BINBYTES
      case 0x43: push(raw(u8())); break; // SHORT_BINBYTES
      case 0x8e: push(raw(u64())); break; // BINBYTES8
      case 0x4a: push(view.getInt32(need(4), true)); break; // BININT
      case 0x4b: push(u8()); break; // BININT1
      case 0x4d: push(u16()); break; // BININT2
      case 0x8a: push(long(u8())); break; // LONG1
      case 0x8b: push(long(u32())); break; // LONG4
      case 0x47: push(view.getFloat64(need(8), false)); break; // BINFLOAT (big-endian)
      case 0x88: push(true); break; // NEWTRUE
      case 0x89: push(false); break; // NEWFALSE
      case 0x4e: push(null); break; // NONE
      case 0x74: push(new PyTuple(popMark())); break; // TUPLE
      case 0x85: push(new PyTuple([pop()])); break; // TUPLE1
      case 0x86: { const b = pop(); const a = pop(); push(new PyTuple([a, b])); break; } // TUPLE2
      case 0x87: { const c = pop(); const b = pop(); const a = pop(); push(new PyTuple([a, b, c])); break; } // TUPLE3
      case 0x6c: push(popMark()); break; // LIST
      case 0x61: { const item = pop(); appendItems(top(), [item]); break; } // APPEND
      case 0x65: { const items = popMark(); appendItems(top(), items); break; } // APPENDS
      case 0x64: { const d = new PyDict(); setItems(d, popMark()); push(d); break; } // DICT
      case 0x73: { const v = pop(); const k = pop(); setItems(top(), [k, v]); break; } // SETITEM
      case 0x75: { const items = popMark(); setItems(top(), items); break; } // SETITEMS
      case 0x71: memoPut(u8(), top()); break; // BINPUT
      case 0x72: memoPut(u32(), top()); break; // LONG_BINPUT
      case 0x94: memoPut(memo.size, top()); break; // MEMOIZE
      case 0x68: memoGet(u8()); break; // BINGET
      case 0x6a: memoGet(u32()); break; // LONG_BINGET
      case 0x63: { const module = line(); global(module, line()); break; } // GLOBAL
      case 0x93: { // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL names are not strings');
        global(module as string, name as string);
        break;
      }
      case 0x52: { const args = pop(); call(pop(), args); break; } // REDUCE
      case 0x81: { const args = pop(); call(pop(), args); break; } // NEWOBJ: cls.__new__(cls, *args), same for our classes
      case 0x62: { // BUILD
        const state = pop();
        const target = top();
        if (!(target instanceof PyDict)) fail('BUILD sets state on something other than a dict');
        (target as PyDict).state = state;
        break;
      }
      case 0x51: push(options.persistentLoad(pop())); break; // BINPERSID
      default:
        fail(`unsupported pickle opcode 0x${op.toString(16).padStart(2, '0')}; torch.save does not write it`);
    }
  }
}
