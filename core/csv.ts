import { LockupError } from './errors.ts';

export interface CsvRecord {
  /** 1-based line number where the record starts (the header is line 1 in a normal file). */
  line: number;
  cells: string[];
}

export interface CsvTable {
  header: string[];
  records: CsvRecord[];
  delimiter: string;
}

/**
 * Parses CSV (RFC 4180): a UTF-8 byte-order mark, CRLF / LF / CR line ends,
 * quoted fields with doubled quotes and embedded line breaks. The delimiter
 * is detected from the header (comma, semicolon or tab). Blank lines are
 * skipped. An unterminated quote is an error naming the line it opened on,
 * because every later row would be misread.
 */
export function parseCsv(text: string): CsvTable {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].map((d) => ({ d, n: countOutsideQuotes(firstLine, d) })).sort((a, b) => b.n - a.n)[0]!;
  const delim = delimiter.n > 0 ? delimiter.d : ',';
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    let quoteLine = 0;
    let endOfRecord = false;
    while (i < src.length && !endOfRecord) {
      const ch = src[i]!;
      if (quoted) {
        if (ch === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
        } else {
          if (ch === '\n' || (ch === '\r' && src[i + 1] !== '\n')) line++;
          cell += ch;
          i++;
        }
        continue;
      }
      if (ch === '"' && cell.trim() === '') {
        quoted = true;
        quoteLine = line;
        cell = '';
        i++;
      } else if (ch === delim) {
        cells.push(cell);
        cell = '';
        i++;
      } else if (ch === '\r' || ch === '\n') {
        i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
      } else {
        cell += ch;
        i++;
      }
    }
    if (quoted) throw new LockupError('csv-invalid', `CSV line ${quoteLine}: a quoted field is never closed`, { line: quoteLine });
    cells.push(cell);
    if (cells.length === 1 && cells[0]!.trim() === '') continue;
    records.push({ line: start, cells });
  }
  const head = records.shift();
  if (!head) throw new LockupError('csv-invalid', 'The CSV file has no header row');
  const header = head.cells.map((h) => h.trim());
  return { header, records, delimiter: delim };
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let q = false;
  for (const ch of line) {
    if (ch === '"') q = !q;
    else if (ch === d && !q) n++;
  }
  return n;
}

/**
 * A cell made safe for spreadsheets: text starting with = + - @ or a control
 * character is prefixed with an apostrophe so it is never run as a formula
 * (OWASP CSV injection).
 */
export function escapeCsvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  // Quote anything a reader could take for structure, including the other delimiters it may detect.
  return /[",;\t\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(escapeCsvCell).join(',')).join('\r\n') + '\r\n';
}
