// Small run-time checks on what crosses a webview's postMessage, for every webview and its extension side (no DOM,
// Node or vscode imports: both bundles include this module). A webview is a web page, so each side checks what it
// receives field by field; each checker returns the value typed, or throws a MessageError naming the path of the
// first bad field (`runs[2].seed: expected a whole number, found "x"`).

export class MessageError extends Error {
  constructor(readonly at: string, expected: string, value: unknown) {
    super(`${at || 'message'}: expected ${expected}, found ${describe(value)}`);
    this.name = 'MessageError';
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return v.length > 40 ? 'a long string' : JSON.stringify(v);
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

export type Obj = Record<string, unknown>;
export const at = (base: string, key: string | number) => (typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key);

export function obj(v: unknown, p: string): Obj {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new MessageError(p, 'an object', v);
  return v as Obj;
}
export function str(v: unknown, p: string, maxLength = 100_000): string {
  if (typeof v !== 'string' || v.length > maxLength) throw new MessageError(p, `a string (at most ${maxLength} characters)`, v);
  return v;
}
export function num(v: unknown, p: string, range: { min?: number; max?: number; integer?: boolean } = {}): number {
  const ok = typeof v === 'number' && Number.isFinite(v) && (!range.integer || Number.isInteger(v)) &&
    (range.min === undefined || v >= range.min) && (range.max === undefined || v <= range.max);
  if (!ok) throw new MessageError(p, `a ${range.integer ? 'whole ' : ''}number${range.min !== undefined ? ` ≥ ${range.min}` : ''}${range.max !== undefined ? ` ≤ ${range.max}` : ''}`, v);
  return v as number;
}
export function bool(v: unknown, p: string): boolean {
  if (typeof v !== 'boolean') throw new MessageError(p, 'true or false', v);
  return v;
}
export function oneOf<T extends string>(v: unknown, p: string, values: readonly T[]): T {
  if (!values.includes(v as T)) throw new MessageError(p, `one of ${values.join(', ')}`, v);
  return v as T;
}
export function list<T>(v: unknown, p: string, each: (x: unknown, p: string) => T, max = Number.POSITIVE_INFINITY): T[] {
  if (!Array.isArray(v) || v.length > max) throw new MessageError(p, `a list${Number.isFinite(max) ? ` of at most ${max}` : ''}`, v);
  return v.map((x, i) => each(x, at(p, i)));
}
export function optional<T>(o: Obj, key: string, p: string, check: (x: unknown, p: string) => T): T | undefined {
  return o[key] === undefined ? undefined : check(o[key], at(p, key));
}
/** A number from 0 to 1: an accuracy, a probability. */
export const fraction = (v: unknown, p: string): number => num(v, p, { min: 0, max: 1 });
