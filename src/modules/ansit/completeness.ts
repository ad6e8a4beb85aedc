/**
 * Master Ansit completeness (domain-wave2 §3): filled (indicator × village) cells over
 * indicators × villages; an indicator is done only when every village has it. Pure, so the
 * rule is unit-tested apart from the database.
 */
export interface CompletenessVillage {
  villageCode: string;
  districtCode: string;
  districtName: string | null;
}

export interface CompletenessIndicator {
  code: string;
  name: string;
  kind: string;
  ownerOpdCode: string;
}

/** filled: the set of `${indicatorCode}|${villageCode}` cells that hold a value (engine or entered). */
export function completeness(indicators: readonly CompletenessIndicator[], villages: readonly CompletenessVillage[], filled: ReadonlySet<string>) {
  const has = (i: string, v: string) => filled.has(`${i}|${v}`);
  const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10000) / 10000);

  const byIndicator = indicators.map((i) => {
    const n = villages.filter((v) => has(i.code, v.villageCode)).length;
    return { code: i.code, name: i.name, kind: i.kind, ownerOpdCode: i.ownerOpdCode, villagesFilled: n, villages: villages.length, done: villages.length > 0 && n === villages.length };
  });

  const districts = new Map<string, { districtCode: string; districtName: string | null; villages: number; cells: number; filled: number }>();
  for (const v of villages) {
    const d = districts.get(v.districtCode) ?? { districtCode: v.districtCode, districtName: v.districtName, villages: 0, cells: 0, filled: 0 };
    d.villages += 1;
    d.cells += indicators.length;
    d.filled += indicators.filter((i) => has(i.code, v.villageCode)).length;
    districts.set(v.districtCode, d);
  }

  const cells = indicators.length * villages.length;
  const filledCells = byIndicator.reduce((s, i) => s + i.villagesFilled, 0);
  return {
    villages: villages.length,
    indicators: indicators.length,
    cells,
    filled: filledCells,
    ratio: ratio(filledCells, cells),
    indicatorsDone: byIndicator.filter((i) => i.done).length,
    byIndicator,
    byKecamatan: [...districts.values()]
      .sort((a, b) => a.districtCode.localeCompare(b.districtCode))
      .map((d) => ({ ...d, ratio: ratio(d.filled, d.cells) })),
  };
}
