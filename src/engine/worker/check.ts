// Small run-time checks for messages that cross the process boundary. A message is untrusted input even between
// our own processes (a different build of the worker, a corrupted pipe, a bug), so each field is checked and the
// first mismatch is reported with its path, e.g. `event.cells[2].seed: expected a number`.

export class ProtocolError extends Error {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path || 'message'}: ${problem}`);
    this.name = 'ProtocolError';
  }
}

export type Obj = Record<string, unknown>;

export function obj(value: unknown, path: string): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new ProtocolError(path, 'expected an object');
  return value as Obj;
}

export function str(o: Obj, key: string, path: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new ProtocolError(join(path, key), 'expected a string');
  return v;
}

export function optStr(o: Obj, key: string, path: string): string | undefined {
  return o[key] === undefined ? undefined : str(o, key, path);
}

export function num(o: Obj, key: string, path: string, opts: { integer?: boolean; min?: number } = {}): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ProtocolError(join(path, key), 'expected a finite number');
  if (opts.integer && !Number.isInteger(v)) throw new ProtocolError(join(path, key), 'expected a whole number');
  if (opts.min !== undefined && v < opts.min) throw new ProtocolError(join(path, key), `expected a number ≥ ${opts.min}`);
  return v;
}

export function optNum(o: Obj, key: string, path: string, opts: { integer?: boolean; min?: number } = {}): number | undefined {
  return o[key] === undefined ? undefined : num(o, key, path, opts);
}

export function bool(o: Obj, key: string, path: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new ProtocolError(join(path, key), 'expected true or false');
  return v;
}

export function oneOf<T extends string>(o: Obj, key: string, path: string, values: readonly T[]): T {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
    throw new ProtocolError(join(path, key), `expected one of ${values.join(', ')}`);
  }
  return v as T;
}

export function arr(o: Obj, key: string, path: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new ProtocolError(join(path, key), 'expected an array');
  return v;
}

export function strings(o: Obj, key: string, path: string): string[] {
  return arr(o, key, path).map((x, i) => {
    if (typeof x !== 'string') throw new ProtocolError(`${join(path, key)}[${i}]`, 'expected a string');
    return x;
  });
}

export function numbers(value: unknown, path: string): number[] {
  if (!Array.isArray(value)) throw new ProtocolError(path, 'expected an array of numbers');
  return value.map((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new ProtocolError(`${path}[${i}]`, 'expected a finite number');
    return x;
  });
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}
