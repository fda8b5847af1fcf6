// Physical lines of a text file, read as bytes and checked before anything is parsed: a NUL byte (a binary file,
// or UTF-16 saved by a Windows editor) or bytes that are not UTF-8 (a Latin-1 export) would otherwise turn into
// replacement characters and silently change the user's text. Splitting on the 0x0A byte is safe in UTF-8
// because no multi-byte sequence contains it, so each line can be checked on its own and its number reported.
// A line may not grow past MAX_LINE_BYTES: a file without line breaks (a binary, a runaway export) is refused
// after reading that much of it, instead of being gathered into one string until memory runs out.
import { isUtf8 } from 'node:buffer';
import { createReadStream, fstat } from 'node:fs';
import type { Readable } from 'node:stream';
import { UserError } from '../errors';

/** No example needs more: BERT reads at most 512 tokens, a few KiB of text. Generous, so that only broken files hit it. */
export const MAX_LINE_BYTES = 16 * 2 ** 20;

export interface TextLine {
  /** 1-based line number. */
  line: number;
  /** The line without its line ending (LF or CRLF) and, on line 1, without a byte-order mark. */
  text: string;
}

export interface ReadLinesOptions {
  /** Longest line accepted, in bytes; default MAX_LINE_BYTES. */
  maxLineBytes?: number;
}

/** Yields every line of a file or byte stream, blank ones included, after checking its encoding. */
export async function* readLines(source: string | Readable, displayName: string, options: ReadLinesOptions = {}): AsyncGenerator<TextLine> {
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const input = typeof source === 'string' ? await openFile(source, displayName) : source;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let line = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    let start = 0;
    for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
      const piece = bytes.subarray(start, nl);
      if (pendingBytes + piece.length > maxLineBytes) throw tooLong(line + 1, maxLineBytes, displayName);
      yield decodeLine(pending.length === 0 ? piece : Buffer.concat([...pending, piece]), ++line, displayName);
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      pendingBytes += bytes.length - start;
      if (pendingBytes > maxLineBytes) throw tooLong(line + 1, maxLineBytes, displayName);
    }
  }
  // A last line without a final newline is still a line; an empty remainder after a final newline is not.
  if (pending.length > 0) yield decodeLine(Buffer.concat(pending), ++line, displayName);
}

function tooLong(line: number, maxLineBytes: number, displayName: string): UserError {
  return new UserError(
    `line is longer than ${formatBytes(maxLineBytes)}, so the file was not read further: it is not line-oriented text, or line breaks are missing`,
    { file: displayName, line },
    'Give each example its own line (a model reads at most a few hundred words of it anyway), or check that this is the right file.',
  );
}

function formatBytes(n: number): string {
  return n % 2 ** 20 === 0 ? `${n / 2 ** 20} MiB` : `${n} bytes`;
}

async function openFile(file: string, displayName: string): Promise<Readable> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  const cannotRead = (e: NodeJS.ErrnoException) =>
    new UserError(`cannot read the file (${e.code ?? e.message})`, { file: displayName }, 'Check the path and its permissions.');
  const fd = await new Promise<number>((resolve, reject) => {
    stream.once('open', resolve);
    stream.once('error', (e: NodeJS.ErrnoException) => reject(cannotRead(e)));
  });
  // Opening a folder succeeds on Linux; only the first read fails (EISDIR), as an error the caller would not expect.
  const isFolder = await new Promise<boolean>((resolve) => fstat(fd, (e, st) => resolve(!e && st.isDirectory())));
  if (isFolder) {
    stream.destroy();
    throw new UserError('is a folder, not a data file', { file: displayName }, 'Point to the data file itself (.csv, .tsv, .jsonl or .json).');
  }
  return stream;
}

function decodeLine(bytes: Buffer, line: number, displayName: string): TextLine {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    throw new UserError(
      `contains a NUL byte (column ${nul + 1}): this is not a plain text file, or it is UTF-16`,
      { file: displayName, line },
      'Save the data as UTF-8 text (CSV, TSV, JSONL or JSON).',
    );
  }
  if (!isUtf8(bytes)) {
    const column = new TextDecoder('utf-8').decode(bytes).indexOf('\uFFFD') + 1;
    throw new UserError(
      `is not valid UTF-8 (column ${column}); the file may be Latin-1 or Windows-1252`,
      { file: displayName, line },
      'Re-save the file with UTF-8 encoding.',
    );
  }
  let text = bytes.toString('utf8');
  if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  return { line, text };
}
