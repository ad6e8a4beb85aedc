import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The common passwords of zxcvbn-ts's maintained list (about 49,000, from breach corpora),
 * shipped in the package and checked offline. Compared lower-case: `Password12` is as weak as
 * `password12`.
 */
const COMMON = new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));

const KEYBOARD_ROWS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz'];

/** True when every character steps by the same +1 or -1 code point, or follows a keyboard row (either way). */
function isPlainSequence(s: string): boolean {
  const cps = [...s].map((c) => c.codePointAt(0)!);
  const step = cps[1] - cps[0];
  if ((step === 1 || step === -1) && cps.every((c, i) => i === 0 || c - cps[i - 1] === step)) return true;
  // "0987654321", "qwertyuiop": a run along one row, forwards or backwards, wrapping 0 after 9.
  return KEYBOARD_ROWS.some((row) => {
    const twice = row + row;
    const back = [...twice].reverse().join('');
    return s.length <= row.length + 1 && (twice.includes(s) || back.includes(s));
  });
}

/**
 * Why a password may not be used, or null. NIST SP 800-63B §5.1.1.2: length and a blocklist
 * of known, repetitive, sequential and context-specific values (the username), not composition
 * rules. The minimum and maximum length are the DTO's (10-256).
 */
export function passwordProblem(password: string, username: string | undefined): string | null {
  // Control characters cannot be typed reliably and hide in logs and forms.
  if (/\p{Cc}/u.test(password)) return 'must not contain control characters (tabs, line breaks and the like)';
  const lower = password.toLowerCase();
  const name = username?.trim().toLowerCase();
  if (name && lower === name) return 'must not be the username';
  if (name && lower.includes(name)) return 'must not contain the username';
  if (new Set([...lower]).size === 1) return 'must not be one character repeated';
  if (isPlainSequence(lower)) return 'must not be a plain sequence such as 1234567890 or abcdefghij';
  if (COMMON.has(lower)) return 'is one of the most common passwords: choose another';
  return null;
}
