// Parsing JSON that users write or edit, so that every complaint can name a line (and, for syntax, a column).
// JSON.parse gives the values fast but says only "at position 1234" (often not even that) and forgets positions
// once it succeeds. So values come from JSON.parse, and the scanner in ./scan is run only when a place is
// needed: to explain a syntax error, when a line is first asked for, or to reject a key given twice.
import { UserError } from '../errors';
import { parentPath } from './path';
import { scanJson } from './scan';

export interface TextPosition {
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (what editors show for most text); a leading byte-order mark is not counted. */
  column: number;
}

export interface JsonSyntaxError extends TextPosition {
  /** What is wrong, in words a user can act on, e.g. `trailing comma before '}'`. */
  problem: string;
}

export interface LocatedJson {
  value: unknown;
  /** 1-based line of the value at `path` (for object members, the line of its key); the nearest recorded
   *  ancestor's line when the path is absent (a missing field is reported where its parent is). */
  lineOf(path: string): number | undefined;
  /** Exact line and column of the value at `path`, or undefined when the document has no such value. */
  positionOf(path: string): TextPosition | undefined;
}

export interface LocatedOptions {
  /** The fix shown with a syntax error; a generic one by default. */
  fix?: string;
  /** Record lines only down to this depth (1: the root's members); keeps big data files cheap. Default: all. */
  maxDepth?: number;
  /** Reject an object key given twice, as an error naming its second line (JSON.parse keeps the last). */
  rejectDuplicateKeys?: boolean;
}

export const JSON_SYNTAX_FIX = 'Fix the JSON syntax (a missing comma, quote or bracket is the usual cause; comments and trailing commas are not allowed).';

/** The first syntax error in `text`, or undefined if it is valid JSON (a leading byte-order mark is allowed). */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const { issue } = scanJson(text);
  if (issue?.kind !== 'syntax') return undefined;
  return { ...new LineIndex(text).position(issue.offset), problem: issue.problem };
}

/**
 * `text` (the contents of `file`) parsed as JSON; a syntax error becomes a UserError naming the line and column.
 * `firstLine` is the file line the text starts on, for one line of a JSON Lines file.
 */
export function parseJson(text: string, file: string, options: { fix?: string; firstLine?: number } = {}): unknown {
  try {
    return JSON.parse(withoutBom(text));
  } catch (e) {
    throw syntaxError(text, file, options.fix ?? JSON_SYNTAX_FIX, options.firstLine ?? 1, e);
  }
}

/** Like `parseJson`, and able to tell the line of any value afterwards. */
export function parseLocatedJson(text: string, file: string, options: LocatedOptions = {}): LocatedJson {
  const value = parseJson(text, file, options);
  const maxDepth = options.maxDepth ?? Infinity;
  let starts: Map<string, number> | undefined;
  let lines: LineIndex | undefined;
  const scan = () => {
    const result = scanJson(text, { maxDepth, duplicateKeys: options.rejectDuplicateKeys });
    lines = new LineIndex(text);
    starts = result.starts;
    if (result.issue?.kind === 'duplicate') {
      const { key, path, offset } = result.issue;
      throw new UserError(`"${key}" appears twice in the same object`, { file, line: lines.position(offset).line, field: path },
        'Keep one of them; JSON readers silently use the last, which hides mistakes.');
    }
  };
  // Duplicate keys can only be found by scanning, so that scan cannot wait until a line is asked for.
  if (options.rejectDuplicateKeys) scan();
  const positionOf = (path: string): TextPosition | undefined => {
    if (starts === undefined) scan();
    const offset = starts!.get(path);
    return offset === undefined ? undefined : lines!.position(offset);
  };
  return {
    value,
    positionOf,
    lineOf(path: string): number | undefined {
      for (let p = path; ; p = parentPath(p)) {
        const at = positionOf(p);
        if (at !== undefined) return at.line;
        if (p === '') return undefined;
      }
    },
  };
}

function syntaxError(text: string, file: string, fix: string, firstLine: number, parseError: unknown): UserError {
  const { issue } = scanJson(text);
  if (issue?.kind !== 'syntax') {
    // JSON.parse refused what the scanner accepts: not expected, but its own words are better than nothing.
    return new UserError(`invalid JSON: ${(parseError as Error).message}`, { file, line: firstLine }, fix);
  }
  const found = new LineIndex(text).position(issue.offset);
  const line = firstLine + found.line - 1;
  // A NUL or a replacement character where JSON was expected: the file was read as UTF-8 but is not (UTF-16
  // from a Windows editor, Latin-1); "fix the syntax" would send the user looking for a typo that is not there.
  const char = text[issue.offset];
  if (char === '\u0000' || char === '\uFFFD') {
    return new UserError(`is not UTF-8 text (column ${found.column} of this line): it may be saved as UTF-16 or Latin-1`, { file, line }, 'Save the file with UTF-8 encoding.');
  }
  return new UserError(`invalid JSON at line ${line}, column ${found.column}: ${issue.problem}`, { file, line }, fix);
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Offsets to line and column, by binary search over the line starts. */
class LineIndex {
  private readonly starts: number[];

  constructor(text: string) {
    this.starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  position(offset: number): TextPosition {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: Math.max(1, offset - starts[lo] + 1) };
  }
}
