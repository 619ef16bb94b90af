import { describe, expect, test } from 'vitest';
import { submissionsCsv } from '../../src/operations/submissions/submissions-csv.ts';

const message = (data: Record<string, string>, id = '7d3f2f52-0000-4000-8000-000000000001') => ({
  id,
  form: 'contact',
  page: '/contact',
  data,
  createdAt: '2026-11-25T10:00:00.000Z',
});

describe('messages as CSV', () => {
  test('a header, CRLF line ends, the contact fields first in form order', () => {
    const csv = submissionsCsv([message({ message: 'Hi', email: 'a@b.example', name: 'Ann', extra: 'x' })]);
    expect(csv).toBe('id,created_at,form,page,name,email,message,extra\r\n7d3f2f52-0000-4000-8000-000000000001,2026-11-25T10:00:00.000Z,contact,/contact,Ann,a@b.example,Hi,x\r\n');
  });

  test('commas, quotes and line breaks are quoted, quotes doubled (RFC 4180)', () => {
    const csv = submissionsCsv([message({ name: 'Smith, Ann', email: 'a@b.example', message: 'She said "hi"\nthen left' })]);
    expect(csv.split('\r\n')[1]).toBe('7d3f2f52-0000-4000-8000-000000000001,2026-11-25T10:00:00.000Z,contact,/contact,"Smith, Ann",a@b.example,"She said ""hi""\nthen left"');
  });

  test.each([
    ['=HYPERLINK("http://evil.example","click")', `"'=HYPERLINK(""http://evil.example"",""click"")"`],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
  ])('a cell a spreadsheet would run (%j) is prefixed with a quote', (value, cell) => {
    const csv = submissionsCsv([message({ name: value, email: 'a@b.example', message: 'ok' })]);
    expect(csv.slice(0, -2).split('\r\n')[1]).toBe(`7d3f2f52-0000-4000-8000-000000000001,2026-11-25T10:00:00.000Z,contact,/contact,${cell},a@b.example,ok`);
  });

  test('harmless text is left alone, and missing fields are empty', () => {
    const csv = submissionsCsv([message({ name: 'Ann-Marie', message: 'a=b' }), message({ email: 'x@y.example' }, '7d3f2f52-0000-4000-8000-000000000002')]);
    const [, first, second] = csv.split('\r\n');
    expect(first).toBe('7d3f2f52-0000-4000-8000-000000000001,2026-11-25T10:00:00.000Z,contact,/contact,Ann-Marie,,a=b');
    expect(second).toBe('7d3f2f52-0000-4000-8000-000000000002,2026-11-25T10:00:00.000Z,contact,/contact,,x@y.example,');
  });

  test('no messages: only the header', () => {
    expect(submissionsCsv([])).toBe('id,created_at,form,page\r\n');
  });
});
