// Physical lines of a text file, read as bytes and checked before anything is parsed: a NUL byte (a binary file,
// or UTF-16 saved by a Windows editor) or bytes that are not UTF-8 (a Latin-1 export) would otherwise turn into
// replacement characters and silently change the user's text. Splitting on the 0x0A byte is safe in UTF-8
// because no multi-byte sequence contains it, so each line can be checked on its own and its number reported.
import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { UserError } from '../errors';

export interface TextLine {
  /** 1-based line number. */
  line: number;
  /** The line without its line ending (LF or CRLF) and, on line 1, without a byte-order mark. */
  text: string;
}

/** Yields every line of a file or byte stream, blank ones included, after checking its encoding. */
export async function* readLines(source: string | Readable, displayName: string): AsyncGenerator<TextLine> {
  const input = typeof source === 'string' ? await openFile(source, displayName) : source;
  let pending: Buffer[] = [];
  let line = 0;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : (chunk as Buffer);
    let start = 0;
    for (let nl = bytes.indexOf(0x0a, start); nl !== -1; nl = bytes.indexOf(0x0a, start)) {
      const piece = bytes.subarray(start, nl);
      yield decodeLine(pending.length === 0 ? piece : Buffer.concat([...pending, piece]), ++line, displayName);
      pending = [];
      start = nl + 1;
    }
    if (start < bytes.length) pending.push(bytes.subarray(start));
  }
  // A last line without a final newline is still a line; an empty remainder after a final newline is not.
  if (pending.length > 0) yield decodeLine(Buffer.concat(pending), ++line, displayName);
}

async function openFile(file: string, displayName: string): Promise<Readable> {
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) =>
      reject(new UserError(`cannot read the file (${e.code ?? e.message})`, { file: displayName }, 'Check the path and its permissions.')),
    );
  });
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
