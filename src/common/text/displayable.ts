/** Bidirectional embeddings, overrides and isolates: they make "Budi" display as something else (Trojan Source). */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** Text that shows nothing: spaces, format characters (zero-width ones), controls, lone marks and the blank fillers. */
const INVISIBLE = /^[\p{White_Space}\p{Cf}\p{Cc}\p{M}\u115F\u1160\u3164\uFFA0\u2800]*$/u;

/**
 * Why a name could be shown as something it is not, or as nothing at all; null when it is fine.
 * One rule for every way a name arrives: the API's `Text` fields and the rows of an upload.
 * Empty text is left to the caller's own "is empty" check.
 */
export function displayProblem(text: string): string | null {
  if (BIDI_CONTROLS.test(text)) return 'must not contain bidirectional override characters';
  if (text !== '' && INVISIBLE.test(text)) return 'must contain a visible character';
  return null;
}
