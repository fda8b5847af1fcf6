// CSV and TSV records (RFC 4180): a field that starts with a double quote runs to the matching quote, may hold
// delimiters and line breaks, and writes a literal quote as two. A quote in the middle of an unquoted field is
// kept as text, as spreadsheet programs do. Records are built from validated physical lines, so a record that
// spans lines reports the line it starts on, and a quote left open reports where it was opened — as soon as the
// record outgrows any real one (MAX_LINE_BYTES), not after the rest of a big file has been gathered into it.
import { UserError } from '../errors';
import { MAX_LINE_BYTES, type TextLine } from './lines';

export interface DelimitedRecord {
  /** Line the record starts on. */
  line: number;
  fields: string[];
}

export async function* readDelimited(
  lines: AsyncIterable<TextLine>,
  delimiter: ',' | '\t',
  displayName: string,
): AsyncGenerator<DelimitedRecord> {
  const kind = delimiter === ',' ? 'CSV' : 'TSV';
  let record: DelimitedRecord | undefined;
  let field = '';
  let quoteLine = 0; // > 0 while inside a quoted field: the line its opening quote is on
  let recordLength = 0; // characters of the record so far, for one spanning lines
  for await (const { line, text } of lines) {
    if (quoteLine === 0) {
      if (text === '') continue; // blank lines separate nothing and hold no data
      if (!text.includes('"')) {
        yield { line, fields: text.split(delimiter) }; // fast path: most lines hold no quotes
        continue;
      }
      record = { line, fields: [] };
      field = '';
      recordLength = 0;
    } else {
      field += '\n';
    }
    recordLength += text.length + 1;
    if (quoteLine > 0 && recordLength > MAX_LINE_BYTES) {
      throw new UserError(
        `a quoted ${kind} field opened on this line runs on for more than ${MAX_LINE_BYTES / 2 ** 20} MiB: its closing quote is probably missing`,
        { file: displayName, line: quoteLine },
        'Close the quote, and write quotes inside a quoted field as two quotes ("").',
      );
    }
    let i = 0;
    let complete = false;
    // At the top of the loop, outside a quote, i is always at the start of a field.
    for (;;) {
      if (quoteLine > 0) {
        const q = text.indexOf('"', i);
        if (q === -1) {
          field += text.slice(i);
          break; // the quoted field goes on on the next line
        }
        field += text.slice(i, q);
        if (text[q + 1] === '"') {
          field += '"';
          i = q + 2;
          continue;
        }
        quoteLine = 0;
        i = q + 1;
        if (i < text.length && text[i] !== delimiter) {
          throw new UserError(
            `${kind} field closed by a quote at column ${q + 1} is followed by ${JSON.stringify(text[i])} instead of a delimiter`,
            { file: displayName, line },
            'Inside a quoted field write a quote as two quotes (""), or do not start the field with a quote.',
          );
        }
      } else if (text[i] === '"') {
        quoteLine = line;
        i++;
        continue;
      } else {
        const end = text.indexOf(delimiter, i);
        const stop = end === -1 ? text.length : end;
        field += text.slice(i, stop);
        i = stop;
      }
      // Here i is at a delimiter or at the end of the line.
      record!.fields.push(field);
      field = '';
      if (i >= text.length) {
        complete = true;
        break;
      }
      i++;
    }
    if (complete) {
      yield record!;
      record = undefined;
    }
  }
  if (quoteLine > 0) {
    throw new UserError(
      `a quoted ${kind} field opened on this line is never closed`,
      { file: displayName, line: quoteLine },
      'Close the quote, and write quotes inside a quoted field as two quotes ("").',
    );
  }
}
