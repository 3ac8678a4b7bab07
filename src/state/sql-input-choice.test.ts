import { describe, expect, it } from 'vitest';
import { rememberedSqlInput, rememberSqlInput } from './sql-input-choice';

function storage(refuse = false) {
  const items = new Map<string, string>();
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (refuse) throw new Error('QuotaExceededError');
      items.set(key, value);
    },
  };
}

describe('the SQL panel input, remembered', () => {
  it('is text when nothing was chosen, else the last choice', () => {
    const s = storage();
    expect(rememberedSqlInput(s)).toBe('text');
    rememberSqlInput('typed', s);
    expect(rememberedSqlInput(s)).toBe('typed');
    rememberSqlInput('text', s);
    expect(rememberedSqlInput(s)).toBe('text');
  });

  it('ignores a stored value that is no input, and a storage that refuses', () => {
    const s = storage();
    s.setItem('sessionizer.sql-input', 'TIMESTAMP');
    expect(rememberedSqlInput(s)).toBe('text');
    const refusing = storage(true);
    expect(() => rememberSqlInput('typed', refusing)).not.toThrow();
    expect(rememberedSqlInput(refusing)).toBe('text');
    expect(rememberedSqlInput(null)).toBe('text');
  });
});
