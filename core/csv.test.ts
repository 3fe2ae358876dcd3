import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeCsvCell, parseCsv, toCsv } from './csv.ts';
import { LockupError } from './errors.ts';
import { thrown } from '../test/support/errors.ts';

function csvError(text: string): LockupError {
  return thrown(() => parseCsv(text));
}

describe('parseCsv', () => {
  it('reads a plain comma file with line numbers', () => {
    const t = parseCsv('name,phone\nAcme,555\nBeta,666\n');
    expect(t.delimiter).toBe(',');
    expect(t.header).toEqual(['name', 'phone']);
    expect(t.records).toEqual([
      { line: 2, cells: ['Acme', '555'] },
      { line: 3, cells: ['Beta', '666'] },
    ]);
  });

  it('strips a UTF-8 byte-order mark from the first header cell', () => {
    const t = parseCsv('\uFEFFname,phone\r\nAcme,555\r\n');
    expect(t.header).toEqual(['name', 'phone']);
    expect(t.header[0]!.charCodeAt(0)).toBe(0x6e);
  });

  it('accepts CRLF, LF and CR line ends, also mixed, with correct line numbers', () => {
    for (const eol of ['\r\n', '\n', '\r']) {
      const t = parseCsv(['a,b', '1,2', '3,4'].join(eol));
      expect(t.records, JSON.stringify(eol)).toEqual([
        { line: 2, cells: ['1', '2'] },
        { line: 3, cells: ['3', '4'] },
      ]);
    }
    const mixed = parseCsv('a,b\r\n1,2\n3,4\r5,6');
    expect(mixed.records.map((r) => [r.line, r.cells.join('|')])).toEqual([
      [2, '1|2'],
      [3, '3|4'],
      [4, '5|6'],
    ]);
  });

  it('quoted fields: doubled quotes, delimiters and embedded newlines', () => {
    const t = parseCsv('name,notes,n\n"Acme, Inc.","He said ""hi""",1\n"Multi\nline\r\nnote","x",2\nlast,"",3\n');
    expect(t.records).toEqual([
      { line: 2, cells: ['Acme, Inc.', 'He said "hi"', '1'] },
      { line: 3, cells: ['Multi\nline\r\nnote', 'x', '2'] },
      // The quoted field above spans lines 3–5, so the next record starts on line 6.
      { line: 6, cells: ['last', '', '3'] },
    ]);
  });

  it('counts a lone CR inside quotes as a line break', () => {
    const t = parseCsv('a,b\n"x\ry",1\nz,2');
    expect(t.records.map((r) => r.line)).toEqual([2, 4]);
    expect(t.records[0]!.cells[0]).toBe('x\ry');
  });

  it('detects semicolon and tab delimiters from the header', () => {
    const semi = parseCsv('name;phone;email\nAcme, Inc.;555;a@b.c\n');
    expect(semi.delimiter).toBe(';');
    expect(semi.records[0]!.cells).toEqual(['Acme, Inc.', '555', 'a@b.c']);
    const tab = parseCsv('name\tphone\nAcme; Inc, Ltd\t555\n');
    expect(tab.delimiter).toBe('\t');
    expect(tab.records[0]!.cells).toEqual(['Acme; Inc, Ltd', '555']);
  });

  it('ignores delimiters inside quoted header cells when detecting', () => {
    const t = parseCsv('"a;b;c";d;e\n1;2;3\n');
    // Two semicolons outside quotes, none of the three inside count; no commas at all.
    expect(t.delimiter).toBe(';');
    expect(t.header).toEqual(['a;b;c', 'd', 'e']);
    const commas = parseCsv('"x;y;z;w",b\n1,2');
    expect(commas.delimiter).toBe(',');
  });

  it('a single-column file uses the comma', () => {
    const t = parseCsv('name\nAcme\nBeta\n');
    expect(t.delimiter).toBe(',');
    expect(t.records.map((r) => r.cells)).toEqual([['Acme'], ['Beta']]);
  });

  it('skips blank and whitespace-only lines but keeps line numbering', () => {
    const t = parseCsv('\n\na,b\n\n1,2\n   \n\r\n3,4\n\n');
    expect(t.header).toEqual(['a', 'b']);
    expect(t.records).toEqual([
      { line: 5, cells: ['1', '2'] },
      { line: 8, cells: ['3', '4'] },
    ]);
  });

  it('trims header cells but never data cells', () => {
    const t = parseCsv(' name , phone \n  Acme  , 555 \n');
    expect(t.header).toEqual(['name', 'phone']);
    expect(t.records[0]!.cells).toEqual(['  Acme  ', ' 555 ']);
  });

  it('keeps short and long rows as they are (the caller checks column counts)', () => {
    const t = parseCsv('a,b,c\n1\n1,2,3,4\n');
    expect(t.records.map((r) => r.cells.length)).toEqual([1, 4]);
  });

  it('an unterminated quote is csv-invalid naming the line it opened on', () => {
    const e = csvError('a,b\n1,2\n3,"never closed\n4,5\n6,7\n');
    expect(e.code).toBe('csv-invalid');
    expect(e.message).toBe('CSV line 3: a quoted field is never closed');
    expect(e.details).toEqual({ line: 3 });
    expect(csvError('"a,b\n').details).toEqual({ line: 1 });
  });

  it('a file with no header is csv-invalid', () => {
    for (const text of ['', '\uFEFF', '\n\n \r\n']) {
      const e = csvError(text);
      expect(e.code).toBe('csv-invalid');
      expect(e.message).toBe('The CSV file has no header row');
    }
  });

  it('a header-only file has no records', () => {
    expect(parseCsv('a,b\r\n')).toEqual({ header: ['a', 'b'], records: [], delimiter: ',' });
  });
});

describe('escapeCsvCell', () => {
  it('neutralises formula prefixes = + - @ tab CR with an apostrophe', () => {
    expect(escapeCsvCell('=SUM(A1:A2)')).toBe("'=SUM(A1:A2)");
    expect(escapeCsvCell('+1 555')).toBe("'+1 555");
    expect(escapeCsvCell('-2')).toBe("'-2");
    expect(escapeCsvCell('@cmd')).toBe("'@cmd");
    expect(escapeCsvCell('\tx')).toBe('"\'\tx"'); // apostrophe, then quoted: a tab is a delimiter a reader may detect
    expect(escapeCsvCell('\rx')).toBe('"\'\rx"');
  });

  it('leaves other text alone and only neutralises a leading character', () => {
    expect(escapeCsvCell('Acme')).toBe('Acme');
    expect(escapeCsvCell('a=b')).toBe('a=b');
    expect(escapeCsvCell(' =1')).toBe(' =1');
    expect(escapeCsvCell('')).toBe('');
  });

  it('quotes cells with quotes, commas or line breaks, doubling quotes', () => {
    expect(escapeCsvCell('a,b')).toBe('"a,b"');
    expect(escapeCsvCell('say "hi"')).toBe('"say ""hi"""');
    expect(escapeCsvCell('two\nlines')).toBe('"two\nlines"');
    expect(escapeCsvCell('=1,2')).toBe('"\'=1,2"');
  });
});

describe('toCsv', () => {
  it('writes CRLF rows with a trailing CRLF', () => {
    expect(toCsv(['line', 'reason'], [['2', 'bad, very'], ['3', '=oops']])).toBe('line,reason\r\n2,"bad, very"\r\n3,\'=oops\r\n');
  });
});

describe('parseCsv ∘ toCsv round trip (property)', () => {
  /** What a cell reads back as: the apostrophe-neutralised text. */
  const readBack = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  const cellChars = fc.constantFrom('a', 'Z', '1', ' ', ',', '"', '\n', '\r', '\t', ';', '=', '+', '-', '@', "'", 'é', '\u00a0', '中', '😀');
  const cell = fc.string({ unit: cellChars, maxLength: 8 });
  /*
   * Header cells: a header is trimmed on read, and the delimiter is sniffed
   * from it, so header cells hold no ';' or tab (toCsv always writes commas,
   * and an unquoted ';' or tab in a comma header could outvote the commas).
   */
  const headerCell = fc.string({ unit: fc.constantFrom('a', 'B', '7', ' ', ',', '"', '=', '-', 'é', '\n'), minLength: 1, maxLength: 6 });
  /*
   * Not representable: a row that is a single blank cell, because a blank
   * line is skipped on read. (Rows of two or more cells never serialise to a
   * blank line: they contain a comma.)
   */
  const representable = (row: string[]) => !(row.length === 1 && readBack(row[0]!).trim() === '');

  it('returns the header (trimmed) and every row as written, with line numbers', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((cols) =>
          fc.tuple(
            fc.array(headerCell, { minLength: cols, maxLength: cols }).filter(representable),
            fc.array(fc.array(cell, { minLength: cols, maxLength: cols }).filter(representable), { maxLength: 6 }),
          ),
        ),
        ([header, rows]) => {
          const text = toCsv(header, rows);
          const t = parseCsv(text);
          expect(t.delimiter).toBe(',');
          expect(t.header).toEqual(header.map((h) => readBack(h).trim()));
          expect(t.records.map((r) => r.cells)).toEqual(rows.map((r) => r.map(readBack)));
          // Each record starts on the physical line after all line breaks of earlier rows.
          const breaks = (row: string[]) => row.map(readBack).join(',').split(/\r\n|\r|\n/).length;
          let line = 1 + breaks(header);
          rows.forEach((row, i) => {
            expect(t.records[i]!.line).toBe(line);
            line += breaks(row);
          });
        },
      ),
      { numRuns: 400, seed: 20240607 },
    );
  });
});
