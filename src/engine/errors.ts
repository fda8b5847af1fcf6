// A UserError is a problem with the user's input or environment that they can fix. The CLI prints it as one
// line (exit code 2) and the extension as one diagnostic or notification; anything else is a bug and keeps its
// stack trace. Every UserError names where the problem is (file and, where known, line or field) and what to do.

export interface ErrorPlace {
  /** The file (or Hub id, or URL) the problem is in. */
  file?: string;
  /** 1-based line number, for line-oriented files. */
  line?: number;
  /** A field or tensor name inside the file, e.g. `verbalizer.positive` or `bert.pooler.dense.weight`. */
  field?: string;
}

export class UserError extends Error {
  readonly place: ErrorPlace;
  readonly fix: string;

  constructor(problem: string, place: ErrorPlace, fix: string) {
    super(problem);
    this.name = 'UserError';
    this.place = place;
    this.fix = fix;
  }

  /** `file:line: field: problem. fix` — the single line shown to the user. */
  format(): string {
    const where = [this.place.file, this.place.line].filter((p) => p !== undefined).join(':');
    const parts = [where, this.place.field].filter((p) => p !== undefined && p !== '');
    const prefix = parts.length > 0 ? parts.join(': ') + ': ' : '';
    const problem = this.message.replace(/\.?$/, '.');
    return `${prefix}${problem} ${this.fix}`.trim();
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
