import { describe, expect, it } from 'vitest';
import { isoFromMicros, parquetCellText, parquetParsers, typedText } from './parquet-text';

describe('the text of Parquet values', () => {
  it.each([
    [0n, '1970-01-01T00:00:00.000Z'],
    [1n, '1970-01-01T00:00:00.000001Z'],
    [-1n, '1969-12-31T23:59:59.999999Z'],
    [1714557600123456n, '2024-05-01T10:00:00.123456Z'],
    [1714557600123000n, '2024-05-01T10:00:00.123Z'],
    [9_000_000_000_000_000_000n, null],
  ])('µs %s is %s', (micros, text) => {
    expect(isoFromMicros(micros)).toBe(text);
  });

  it('timestamps of every unit keep the microseconds; an instant no date holds keeps its number', () => {
    expect(parquetParsers.timestampFromMilliseconds?.(1714557600123n)).toBe('2024-05-01T10:00:00.123Z');
    expect(parquetParsers.timestampFromNanoseconds?.(1714557600123456789n)).toBe('2024-05-01T10:00:00.123456Z');
    expect(parquetParsers.timestampFromNanoseconds?.(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(parquetParsers.timestampFromMilliseconds?.(9_000_000_000_000_000n)).toBe('9000000000000000');
    expect(parquetParsers.dateFromDays?.(19844)).toBe('2024-05-01');
    expect(parquetParsers.jsonFromBytes?.(new TextEncoder().encode('{"a": 1}'))).toBe('{"a": 1}');
  });

  it('a wall-clock timestamp loses the Z it never had; decimals keep their scale; binary that is not UTF-8 is hex', () => {
    const local = typedText({ name: 'ts', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } });
    expect(parquetCellText('2024-05-01T10:00:00.000001Z', local)).toBe('2024-05-01T10:00:00.000001');
    const utc = typedText({ name: 'ts', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } });
    expect(parquetCellText('2024-05-01T10:00:00Z', utc)).toBe('2024-05-01T10:00:00Z');
    const price = typedText({ name: 'price', type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 10 });
    expect(parquetCellText(12.340000000000002, price)).toBe('12.34');
    expect(parquetCellText(-0.1, price)).toBe('-0.10');
    expect(parquetCellText(new Uint8Array([0xff, 0x00, 0x10]), undefined)).toBe('0xff0010');
    expect(parquetCellText(new Uint8Array([0x68, 0x69]), undefined)).toBe('hi');
    expect(parquetCellText(12n, undefined)).toBe('12');
    expect(parquetCellText(false, undefined)).toBe('false');
    expect(parquetCellText(null, price)).toBeNull();
    expect(parquetCellText({ a: 1n, b: ['x'] }, undefined)).toBe('{"a":"1","b":["x"]}');
  });
});
