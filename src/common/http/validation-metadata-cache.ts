import { getMetadataStorage } from 'class-validator';

type Storage = ReturnType<typeof getMetadataStorage>;
type Lookup = Storage['getTargetValidationMetadatas'];

const INSTALLED = Symbol.for('tuntas.validationMetadataCache');

/**
 * Memoises class-validator's metadata lookup per (class, schema, options). The library recomputes
 * it on every validate() call, walking every registered class for inherited rules: 3.5% of a
 * transition's CPU over HTTP (bench/transitions profile). Its answer changes only when a rule is
 * registered, so the cache is dropped whenever one is: the results stay exactly the library's.
 */
export function installValidationMetadataCache(storage: Storage = getMetadataStorage()): void {
  const s = storage as Storage & { [INSTALLED]?: true };
  if (s[INSTALLED]) return;
  s[INSTALLED] = true;
  const lookup: Lookup = s.getTargetValidationMetadatas.bind(s);
  const cache = new Map<unknown, Map<string, ReturnType<Lookup>>>();
  s.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}\u0000${always}\u0000${strictGroups}\u0000${groups ? groups.join('\u0001') : '-'}`;
    let byTarget = cache.get(target);
    if (!byTarget) cache.set(target, (byTarget = new Map()));
    let found = byTarget.get(key);
    // A copy each time: the caller may keep or change its list.
    if (!found) byTarget.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found.slice();
  };
  for (const method of ['addValidationMetadata', 'addConstraintMetadata', 'addValidationSchema'] as const) {
    const original = (s[method] as (...args: unknown[]) => void).bind(s);
    (s as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      cache.clear();
      original(...args);
    };
  }
}
