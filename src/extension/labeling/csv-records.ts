// CSV/TSV records with the source range of every field, so that one cell can be rewritten in place (RFC 4180:
// quoted fields may hold delimiters, line breaks and doubled quotes). The engine's reader turns records into
// values for training; the labeling editor must instead know where each value is written.

export interface CsvField {
  /** Source range of the field as written (quotes included). */
  start: number;
  end: number;
  value: string;
}

export interface CsvRecord {
  /** 1-based line the record starts on. */
  line: number;
  fields: CsvField[];
  /** Where the record ends (before its line break). */
  end: number;
  /** A quoted field of this record is never closed, so the record runs to the end of the file. */
  unclosed?: boolean;
}

export function csvRecords(text: string, delimiter: ',' | '\t'): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < text.length) {
    // Blank lines hold no record.
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1;
      line++;
      continue;
    }
    const record: CsvRecord = { line, fields: [], end: i };
    for (;;) {
      const start = i;
      let value = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) {
            record.unclosed = true; // the rest of the file is the field
            break;
          }
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (text[i] === '\n') line++;
          value += text[i++];
        }
        // Text between the closing quote and the delimiter is kept, as spreadsheets do.
        while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) value += text[i++];
      } else {
        while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) value += text[i++];
      }
      record.fields.push({ start, end: i, value });
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      record.end = i;
      if (i < text.length) {
        i += text[i] === '\r' ? 2 : 1;
        line++;
      }
      break;
    }
    records.push(record);
  }
  return records;
}

/** A value written as a CSV field: quoted when it holds the delimiter, a quote or a line break. */
export function csvField(value: string, delimiter: ',' | '\t'): string {
  return value.includes(delimiter) || /["\r\n]/.test(value) || value !== value.trim() ? `"${value.replace(/"/g, '""')}"` : value;
}
