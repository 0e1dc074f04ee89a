import { DEFAULT_DIALECT, detectDelimiter, parseCsv } from '../../../../src/mapping/csv/parse-csv';
import { detectCsvMapping } from '../../../../src/mapping/csv/detect-mapping';
import { parseCsvDate } from '../../../../src/mapping/csv/parse-date';

describe('parseCsv', () => {
  it('when fields are quoted with delimiters, doubled quotes and line breaks, then they are read whole', () => {
    const { records, issues } = parseCsv('a,"b,c","say ""hi""","x\r\ny"\r\nnext,row\r\n\r\n\r\n');
    expect(issues).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b,c', 'say "hi"', 'x\r\ny'] },
      { line: 3, fields: ['next', 'row'] },
    ]);
  });

  it('when a line has no final line break, then the last record is still read', () => {
    expect(parseCsv('a,b\nc,d').records.map((r) => r.fields)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
  });

  it('when a trailing comma leaves an empty last column, then the empty field is kept', () => {
    expect(parseCsv('a,b,\n').records[0]?.fields).toEqual(['a', 'b', '']);
  });

  it('when text follows a closing quote, then it is kept with a warning at its row and column', () => {
    const { records, issues } = parseCsv('x\n"ab"cd,e\n');
    expect(records[1]?.fields).toEqual(['abcd', 'e']);
    expect(issues.map((i) => [i.code, i.path])).toEqual([['CSV_STRAY_AFTER_QUOTE', 'row 2, column 1']]);
  });

  it('when a quote is never closed, then one error names where it opened and no records are returned', () => {
    const { records, issues } = parseCsv('a,b\nc,"d\ne,f\n');
    expect(records).toEqual([]);
    expect(issues.map((i) => [i.severity, i.code, i.path])).toEqual([['error', 'CSV_UNTERMINATED_QUOTE', 'row 2, column 2']]);
  });

  it('when a record exceeds the record limit, then parsing stops with one error', () => {
    const { issues } = parseCsv(`${'a,'.repeat(100)}\n`, { ...DEFAULT_DIALECT, maxRecordLength: 50 });
    expect(issues.map((i) => i.code)).toEqual(['CSV_RECORD_TOO_LONG']);
  });
});

describe('detectDelimiter', () => {
  it.each([
    ['a;b;c\n1;2;3\n', ';'],
    ['a\tb\n1\t2\n', '\t'],
    ['a|b\n1|2\n', '|'],
    ['"x,y";b;c\n1;2;3\n', ';'],
    ['a,b\n1,2\n', ','],
  ])('when the text is %j, then the delimiter is %j', (text, delimiter) => {
    expect(detectDelimiter(text)).toBe(delimiter);
  });
});

describe('detectCsvMapping', () => {
  it('when vendor headers are present, then value, type, date and description roles are recognized', () => {
    const m = detectCsvMapping('Associated Malware,DNS Record Type ,FQDN,IP,First Seen,Last Seen,Remote Template URL\n');
    expect(m.header).toBe(true);
    expect(m.columns.map((c) => [c.role, c.value_type])).toEqual([
      ['description', undefined],
      ['description', undefined],
      ['value', 'domain-name'],
      ['value', 'ip'],
      ['first_seen', undefined],
      ['last_seen', undefined],
      ['value', 'url'],
    ]);
  });

  it('when the first row is data, then there is no header and columns are typed by content', () => {
    const m = detectCsvMapping('2017-08-02 16:28:51,api.highwrite.ru\n2017-08-06 06:53:09,api.newmine.ru\n');
    expect(m.header).toBe(false);
    expect(m.columns.map((c) => c.role)).toEqual(['first_seen', 'value']);
  });
});

describe('parseCsvDate', () => {
  it.each([
    ['2020-06-13 09:20:41', '2020-06-13T09:20:41Z'],
    ['2020-06-13T09:20:41+03:00', '2020-06-13T06:20:41Z'],
    ['10/18/18 07:38', '2018-10-18T07:38:00Z'],
    ['25/12/2020', '2020-12-25T00:00:00Z'],
    ['13.06.2020 10:00', '2020-06-13T10:00:00Z'],
    ['1591999999', '2020-06-12T22:13:19Z'],
    ['2/30/17', undefined],
    ['yesterday', undefined],
  ])('when the cell is %j, then the timestamp is %j', (text, expected) => {
    expect(parseCsvDate(text)).toBe(expected);
  });
});
