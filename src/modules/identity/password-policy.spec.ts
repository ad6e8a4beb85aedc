import { describe, expect, it } from '@jest/globals';
import { passwordProblem } from './password-policy.js';

describe('passwordProblem', () => {
  it.each([
    ['password12', 'sri.dinkes', 'is one of the most common passwords: choose another'],
    ['Password12', 'sri.dinkes', 'is one of the most common passwords: choose another'],
    ['iloveyou12', 'sri.dinkes', 'is one of the most common passwords: choose another'],
    ['1234567890', 'sri.dinkes', 'must not be a plain sequence such as 1234567890 or abcdefghij'],
    ['0987654321', 'sri.dinkes', 'must not be a plain sequence such as 1234567890 or abcdefghij'],
    ['abcdefghijkl', 'sri.dinkes', 'must not be a plain sequence such as 1234567890 or abcdefghij'],
    ['qwertyuiop', 'sri.dinkes', 'must not be a plain sequence such as 1234567890 or abcdefghij'],
    ['aaaaaaaaaa', 'sri.dinkes', 'must not be one character repeated'],
    ['sri.dinkes', 'sri.dinkes', 'must not be the username'],
    ['SRI.DINKES', 'sri.dinkes', 'must not be the username'],
    ['sri.dinkes2026!', 'sri.dinkes', 'must not contain the username'],
    ['kunci\nrahasia-desa', 'sri.dinkes', 'must not contain control characters (tabs, line breaks and the like)'],
    ['kunci\u0000rahasia-desa', 'sri.dinkes', 'must not contain control characters (tabs, line breaks and the like)'],
  ])('%j for %s: %s', (password, username, reason) => {
    expect(passwordProblem(password, username)).toBe(reason);
  });

  it.each(['Melati-Setiadarma-77', 'kopi tubruk di posyandu', 'a-long-password', '4815-kopi-2342', 'tuntas stunting bekasi'])('accepts %j', (password) => {
    expect(passwordProblem(password, 'sri.dinkes')).toBeNull();
  });
});
