import { describe, expect, it } from '@jest/globals';
import { plainArray, textArray } from './sql-arrays.js';

describe('array literals', () => {
  it('writes plain values bare and NULL for null', () => {
    expect(plainArray(['0193f1c2-0000-7000-8000-000000000001', null, 7.5, true, new Date('2026-11-25T01:02:03.004Z')])).toBe(
      '{0193f1c2-0000-7000-8000-000000000001,NULL,7.5,true,2026-11-25T01:02:03.004Z}',
    );
  });
  it('quotes text and escapes quotes and backslashes', () => {
    expect(textArray(['a, b', 'say "hi"', 'back\\slash', 'NULL', null, '{x}'])).toBe(
      '{"a, b","say \\"hi\\"","back\\\\slash","NULL",NULL,"{x}"}',
    );
  });
});
