import { DomainError, ValidationFailed } from '../errors/domain-error.js';

/** `If-Match: "3"`, `W/"3"` or `3` → 3; absent → undefined. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw ValidationFailed.field('If-Match', 'must be the version you last read, e.g. "3"');
  return Number(m[1]);
}

/** For commands that must not run blind: 428 when the client did not say which version it saw. */
export function requireIfMatch(header: string | undefined): number {
  const version = parseIfMatch(header);
  if (version === undefined) {
    throw new DomainError('PRECONDITION_REQUIRED', 'send If-Match with the version you last read (the ETag of GET)');
  }
  return version;
}
