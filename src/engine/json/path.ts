// Field paths name a place inside a JSON document the way a user reads it: `methods[2].distill.teacher.model`.
// The root is ''. Errors carry these paths as their `field`, and located parsing records a line for each one.

/** The path of member `key` (a string) or element `key` (a number) of the value at `parent`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** The path one level up: `a.b[2]` → `a.b`, `a.b` → `a`, `a` → ``. */
export function parentPath(path: string): string {
  const m = /(\[\d+\]|\.[^.[]*)$/.exec(path);
  return m ? path.slice(0, m.index) : '';
}
