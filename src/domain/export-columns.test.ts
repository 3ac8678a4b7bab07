import { describe, expect, it } from 'vitest';
import { exportedColumnNames, renamedColumnNote, renamedExportColumns } from './export-columns';

describe('exportedColumnNames: one rule for file columns named like the computed ones', () => {
  it.each([
    ['keeps every name of an ordinary file', ['user_id', 'timestamp', 'url'], ['user_id', 'timestamp', 'url']],
    [
      'renames session_id and session_number to <name>_original',
      ['session_id', 'u', 'session_number'],
      ['session_id_original', 'u', 'session_number_original'],
    ],
    [
      "compares names ignoring case, as DuckDB does, and keeps the file's spelling",
      ['Session_ID', 'SESSION_NUMBER'],
      ['Session_ID_original', 'SESSION_NUMBER_original'],
    ],
    ['counts on from _2 where <name>_original is a file column', ['session_id', 'session_id_original'], ['session_id_original_2', 'session_id_original']],
    [
      'skips every taken name, ignoring case',
      ['session_id', 'SESSION_ID_ORIGINAL', 'session_id_original_2'],
      ['session_id_original_3', 'SESSION_ID_ORIGINAL', 'session_id_original_2'],
    ],
    [
      'leaves names that merely contain a computed one',
      ['my_session_id', 'session_ids', 'session_id_original'],
      ['my_session_id', 'session_ids', 'session_id_original'],
    ],
  ])('%s', (_name, columns, expected) => {
    expect(exportedColumnNames(columns)).toEqual(expected);
  });

  it("never gives two columns the same name, nor a computed column's", () => {
    const columns = ['session_id', 'Session_Id_original', 'session_number', 'session_number_original', 'session_number_original_2', 'x'];
    const names = exportedColumnNames(columns).map((n) => n.toLowerCase());
    expect(new Set([...names, 'session_id', 'session_number']).size).toBe(names.length + 2);
  });

  it("lists only the renamed columns, with the page's sentence", () => {
    const renamed = renamedExportColumns(['user_id', 'session_id', 'ts']);
    expect(renamed).toEqual([{ column: 'session_id', exportedAs: 'session_id_original' }]);
    expect(renamed.map(renamedColumnNote)).toEqual(['The file\'s own column "session_id" is exported as "session_id_original".']);
    expect(renamedExportColumns(['user_id', 'ts'])).toEqual([]);
  });
});
