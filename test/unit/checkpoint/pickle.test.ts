import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PyDict, PyGlobal, PyOpaque, PyTuple, PyValue, TensorRecipe, unpickle } from '../../../src/engine/checkpoint/pickle';
import { CPYTHON_PICKLES } from './cpython-samples';
import { scratch, userErrorFrom } from './paths';
import { PickleWriter, stateDictPickle } from './torch-writer';

const tmp = scratch();
after(tmp.dispose);
const noPersistent = (): PyValue => {
  throw new Error('no persistent ids expected');
};
const load = (bytes: Uint8Array, persistentLoad: (pid: PyValue) => PyValue = noPersistent) => unpickle(bytes, { file: 'test.pkl', persistentLoad });

/** Python-ish plain data for comparisons: tuples as {tuple: [...]}, dicts as [key, value] pairs in order. */
function plain(v: PyValue): unknown {
  if (v instanceof PyTuple) return { tuple: v.items.map(plain) };
  if (v instanceof PyDict) return { dict: [...v.map].map(([k, x]) => [k, plain(x)]) };
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Uint8Array) return { bytes: [...v] };
  return v;
}

test('unpickles what CPython writes with protocols 2 to 5', () => {
  for (const protocol of [2, 3, 4, 5]) {
    const result = load(Buffer.from(CPYTHON_PICKLES[protocol], 'base64'));
    assert.ok(result instanceof PyDict);
    const get = (k: string) => plain(result.map.get(k)!);
    assert.deepEqual(get('ints'), [
      0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31 - 1, 2 ** 31, 2 ** 53 - 1, -(2 ** 53) + 1, 2n ** 63n, -(2n ** 70n),
    ]);
    assert.deepEqual(get('floats'), [0.5, -1.25, 1e300, Infinity]);
    assert.deepEqual(get('flags'), { tuple: [true, false, null] });
    assert.equal(get('text'), 'héllo ✓');
    assert.equal(get('long'), 'x'.repeat(260));
    assert.deepEqual(get('nested'), {
      dict: [
        ['t1', { tuple: [1] }], ['t2', { tuple: [1, 2] }], ['t3', { tuple: [1, 2, 3] }], ['t4', { tuple: [1, 2, 3, 4] }],
        ['empty', { tuple: [] }], ['el', []], ['ed', { dict: [] }],
      ],
    });
    // An OrderedDict arrives through GLOBAL (protocol 2, 3) or STACK_GLOBAL (4, 5) + REDUCE + SETITEMS, order kept.
    assert.deepEqual(get('od'), { dict: [['b', 1], ['a', 2]] });
    // The memo makes a repeated object the same object.
    const shared = result.map.get('shared') as PyValue[];
    assert.equal(shared[0], shared[1]);
    assert.deepEqual(plain(shared[0]), [1, 2]);
    if (protocol >= 3) assert.deepEqual(get('raw'), { bytes: [0, 1, 255] });
  }
});

test('a torch.save state dict pickle yields tensor recipes over persistent storages', () => {
  const storage = { key: '0', type: 'HalfStorage' as const, data: new Uint8Array(24) };
  const bytes = stateDictPickle([
    { name: 'w', storage, offset: 2, size: [2, 3], stride: [1, 2] },
    { name: 'p', storage, offset: 0, size: [4], stride: [1], parameter: true },
  ]);
  const pids: unknown[] = [];
  const result = load(bytes, (pid) => {
    pids.push(plain(pid));
    return new PyOpaque('storage-0');
  });
  assert.ok(result instanceof PyDict);
  assert.deepEqual([...result.map.keys()], ['w', 'p']);
  const w = result.map.get('w') as TensorRecipe;
  assert.ok(w instanceof TensorRecipe);
  assert.deepEqual([w.storageOffset, w.size, w.stride], [2, [2, 3], [1, 2]]);
  assert.equal((w.storage as PyOpaque).value, 'storage-0');
  const p = result.map.get('p') as TensorRecipe;
  assert.deepEqual([p.storageOffset, p.size, p.stride], [0, [4], [1]]);
  assert.equal(pids.length, 2);
  const pid = pids[0] as { tuple: unknown[] };
  assert.equal(pid.tuple[0], 'storage');
  assert.ok(pid.tuple[1] instanceof PyGlobal && pid.tuple[1].qualified === 'torch.HalfStorage');
  assert.deepEqual(pid.tuple.slice(2), ['0', 'cpu', 12]);
  // BUILD put the state dict's `_metadata` attribute on the dict.
  assert.deepEqual(plain(result.state), { dict: [['_metadata', { dict: [['', { dict: [['version', 1]] }]] }]] });
});

/** `GLOBAL module name; (command,); REDUCE; STOP` — what a malicious pickle looks like. */
function calling(module: string, name: string, argument: string, stackGlobal = false): Uint8Array {
  const p = new PickleWriter().proto(stackGlobal ? 4 : 2);
  if (stackGlobal) {
    for (const s of [module, name]) p.byte(0x8c, Buffer.byteLength(s)).byte(...Buffer.from(s));
    p.byte(0x93);
  } else {
    p.global(module, name);
  }
  return p.str(argument).tuple(1).reduce().stop().bytes();
}

test('refuses globals that are not tensor-rebuild functions, and runs nothing', async () => {
  const marker = join(tmp.dir, 'pwned');
  const payloads: [string, Uint8Array][] = [
    ['os.system', calling('os', 'system', `touch ${marker}`)],
    ['posix.system', calling('posix', 'system', `touch ${marker}`)],
    ['builtins.eval', calling('builtins', 'eval', `open(${JSON.stringify(marker)}, 'w')`, true)],
    ['subprocess.Popen', calling('subprocess', 'Popen', `touch ${marker}`)],
    ['builtins.getattr', calling('builtins', 'getattr', 'x', true)],
    ['torch.load', calling('torch', 'load', marker)],
    ['torch._utils._rebuild_tensor', calling('torch._utils', '_rebuild_tensor', 'x')],
    ['_codecs.encode', calling('_codecs', 'encode', 'x')],
  ];
  for (const [name, bytes] of payloads) {
    const err = await userErrorFrom(() => load(bytes));
    assert.equal(
      err.message,
      `refuses to load: the pickle asks for global \`${name}\`, which is not a tensor-rebuild function (loading this file with torch.load could run arbitrary code)`,
    );
    assert.equal(err.place.file, 'test.pkl');
    assert.match(err.fix, /convert the checkpoint to safetensors/);
  }
  assert.equal(existsSync(marker), false);
});

test('malformed or abusive pickles are UserErrors with the byte position', async () => {
  const p = () => new PickleWriter().proto(2);
  const cases: [string, Uint8Array, RegExp, number?][] = [
    ['truncated', p().byte(0x58, 10, 0, 0, 0, 0x61).bytes(), /byte 2: the pickle ends in the middle of an instruction/],
    ['no STOP', p().none().bytes(), /ends in the middle/],
    ['unknown opcode', p().byte(0x69).bytes(), /unsupported pickle opcode 0x69/],
    ['protocol 0 text opcode', p().byte(0x49, 0x31, 0x0a).stop().bytes(), /opcode 0x49/],
    ['protocol 6', new PickleWriter().proto(6).none().stop().bytes(), /pickle protocol 6 is not supported/],
    ['pop from empty stack', p().byte(0x30).stop().bytes(), /empty stack/],
    ['memo read before write', p().get(7).stop().bytes(), /memo entry 7 is read before it is written/],
    ['closing a mark never opened', p().byte(0x74).stop().bytes(), /mark that was never opened/],
    ['stop with open mark', p().mark().none().stop().bytes(), /stops with a mark still open/],
    ['setitem on a list', p().byte(0x5d).str('k').none().setitem().stop().bytes(), /not a dict/],
    ['append to a tuple', p().byte(0x29).none().byte(0x61).stop().bytes(), /not a list/],
    ['calling a storage type', p().global('torch', 'FloatStorage').byte(0x29).reduce().stop().bytes(), /`torch.FloatStorage` is not callable here/],
    ['OrderedDict with arguments', p().global('collections', 'OrderedDict').byte(0x5d).tuple(1).reduce().stop().bytes(), /only an empty OrderedDict/],
    ['BUILD on a tuple', p().byte(0x29).none().build().stop().bytes(), /BUILD sets state on something other than a dict/],
    ['huge integer', p().byte(0x8b, 0, 0, 1, 0).stop().bytes(), /integer of 65536 bytes/],
    ['invalid UTF-8', p().byte(0x8c, 2, 0xff, 0xfe).stop().bytes(), /not valid UTF-8/],
    ['rebuild with bad size', p().global('torch._utils', '_rebuild_tensor_v2').mark().none().int(0).str('x').byte(0x29).bool(false).none().byte(0x74).reduce().stop().bytes(), /size is not a tuple/],
  ];
  for (const [label, bytes, message] of cases) {
    const err = await userErrorFrom(() => load(bytes));
    assert.match(err.message, message, label);
  }
});

test('stack and memo are bounded', async () => {
  const many = new PickleWriter().proto(2);
  for (let i = 0; i < 200; i++) many.none();
  const err = await userErrorFrom(() => unpickle(many.stop().bytes(), { file: 'x', persistentLoad: noPersistent, maxStack: 100 }));
  assert.match(err.message, /more than 100 values on the pickle stack/);
  const marks = new PickleWriter().proto(2);
  for (let i = 0; i < 200; i++) marks.mark();
  await userErrorFrom(() => unpickle(marks.stop().bytes(), { file: 'x', persistentLoad: noPersistent, maxStack: 100 }));
  const memo = new PickleWriter().proto(2).none();
  for (let i = 0; i < 50; i++) memo.put();
  const memoErr = await userErrorFrom(() => unpickle(memo.stop().bytes(), { file: 'x', persistentLoad: noPersistent, maxMemo: 20 }));
  assert.match(memoErr.message, /more than 20 memo entries/);
  // A list grown by APPEND hits the same limit.
  const grow = new PickleWriter().proto(2).byte(0x5d);
  for (let i = 0; i < 200; i++) grow.none().byte(0x61);
  const growErr = await userErrorFrom(() => unpickle(grow.stop().bytes(), { file: 'x', persistentLoad: noPersistent, maxStack: 100 }));
  assert.match(growErr.message, /a list grows past 100 items/);
});
