import { Injectable, type OnModuleInit } from '@nestjs/common';
import { getDistricts, getProvinces, getRegencies, getVillages } from 'idn-area-data';

export type RegionLevel = 'province' | 'regency' | 'district' | 'village';

export interface Region {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
}

const LEVEL_BY_LENGTH: Record<number, RegionLevel> = { 2: 'province', 4: 'regency', 6: 'district', 10: 'village' };

const undot = (code: string) => code.replaceAll('.', '');

/** A region name as districts type it, for matching: no case, spacing, punctuation or administrative prefix. */
export function nameKey(name: string, prefixes: RegExp): string {
  return name
    .toLowerCase()
    .replace(prefixes, '')
    .replace(/[^a-z0-9]/g, '');
}

const VILLAGE_PREFIX = /^\s*(desa|ds|kelurahan|kel|kampung|kp|gampong|nagari)[\s.]+/;
const DISTRICT_PREFIX = /^\s*(kecamatan|kec|distrik)[\s.]+/;
const REGENCY_PREFIX = /^\s*(kabupaten|kab|kota)[\s.]+/;

/** idn-area-data 3 writes provinces and regencies in capitals ("KABUPATEN BEKASI"); people write "Kabupaten Bekasi". */
function titleCase(name: string): string {
  if (name !== name.toUpperCase()) return name;
  return name.toLowerCase().replace(/(^|[\s(.-])(\p{L})/gu, (_, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** Levenshtein distance, stopping once it exceeds `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, cur[j]);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The Kemendagri region codes shipped by `idn-area-data`, held in memory (about 91k codes) and
 * stored undotted (`3216`, `3216062005`).
 */
@Injectable()
export class RegionsService implements OnModuleInit {
  private readonly byCode = new Map<string, Region>();
  private readonly children = new Map<string, Region[]>();

  async onModuleInit(): Promise<void> {
    if (this.byCode.size > 0) return;
    const [provinces, regencies, districts, villages] = await Promise.all([
      getProvinces(),
      getRegencies(),
      getDistricts(),
      getVillages(),
    ]);
    for (const p of provinces) this.add(p.code, p.name, null);
    for (const r of regencies) this.add(r.code, r.name, r.province_code);
    for (const d of districts) this.add(d.code, d.name, d.regency_code);
    for (const v of villages) this.add(v.code, v.name, v.district_code);
  }

  private add(dotted: string, name: string, parentDotted: string | null): void {
    if (!dotted) return;
    const code = undot(dotted);
    const region: Region = { code, name: titleCase(name), level: LEVEL_BY_LENGTH[code.length], parentCode: parentDotted ? undot(parentDotted) : null };
    this.byCode.set(code, region);
    const key = region.parentCode ?? '';
    const list = this.children.get(key);
    if (list) list.push(region);
    else this.children.set(key, [region]);
  }

  find(code: string): Region | undefined {
    return this.byCode.get(code);
  }

  /** A village's name and its kecamatan's, for answers that carry a village code (null parts when unknown). */
  place(villageCode: string): { villageName: string | null; districtCode: string | null; districtName: string | null } {
    const village = this.byCode.get(villageCode);
    const district = village?.parentCode ? this.byCode.get(village.parentCode) : undefined;
    return { villageName: village?.name ?? null, districtCode: district?.code ?? null, districtName: district?.name ?? null };
  }

  isProvince(code: string): boolean {
    return this.byCode.get(code)?.level === 'province';
  }

  isRegency(code: string): boolean {
    return this.byCode.get(code)?.level === 'regency';
  }

  isDistrict(code: string): boolean {
    return this.byCode.get(code)?.level === 'district';
  }

  isVillage(code: string): boolean {
    return this.byCode.get(code)?.level === 'village';
  }

  private readonly villageIndex = new Map<string, Map<string, Region[]>>();

  /** The villages of a regency by name key, built once per regency. */
  private villagesByName(regencyCode: string): Map<string, Region[]> {
    let index = this.villageIndex.get(regencyCode);
    if (index) return index;
    index = new Map();
    for (const d of this.children.get(regencyCode) ?? []) {
      for (const v of this.children.get(d.code) ?? []) {
        const key = nameKey(v.name, VILLAGE_PREFIX);
        const list = index.get(key);
        if (list) list.push(v);
        else index.set(key, [v]);
      }
    }
    this.villageIndex.set(regencyCode, index);
    return index;
  }

  private describe(v: Region): string {
    return `${v.name} (Kec. ${this.byCode.get(v.parentCode!)?.name ?? '?'}, ${v.code})`;
  }

  /**
   * A village of the regency from its name as typed (any case and spacing, with or without
   * Desa/Kelurahan/Kel.), told apart from another of the same name by its kecamatan. A name that
   * matches none or several gets a reason naming the candidates.
   */
  villageByName(regencyCode: string, name: string, districtName?: string): { code: string } | { problem: string } {
    const regency = this.byCode.get(regencyCode)?.name ?? regencyCode;
    const index = this.villagesByName(regencyCode);
    const key = nameKey(name, VILLAGE_PREFIX);
    const all = index.get(key) ?? [];
    const district = districtName ? nameKey(districtName, DISTRICT_PREFIX) : null;
    const inDistrict = district === null ? all : all.filter((v) => nameKey(this.byCode.get(v.parentCode!)?.name ?? '', DISTRICT_PREFIX) === district);
    if (inDistrict.length === 1) return { code: inDistrict[0].code };
    if (inDistrict.length > 1) {
      return { problem: `"${name}" names ${inDistrict.length} villages in ${regency}: ${inDistrict.map((v) => this.describe(v)).join('; ')}; add the Kec column or the village code` };
    }
    if (all.length) {
      return { problem: `there is no village "${name}" in Kec. ${districtName}; ${regency} has ${all.map((v) => this.describe(v)).join('; ')}` };
    }
    const near: { v: Region; d: number }[] = [];
    for (const [k, vs] of index) {
      const d = distance(key, k, 2);
      if (d <= 2) for (const v of vs) near.push({ v, d });
    }
    near.sort((a, b) => a.d - b.d);
    const hint = near.length ? `; did you mean ${near.slice(0, 3).map((n) => this.describe(n.v)).join(' or ')}?` : '';
    return { problem: `there is no village "${name}" in ${regency}${hint}` };
  }

  /** Why a village name does not fit a village code, or null (a file with both: the code wins). */
  villageNameProblem(code: string, name: string): string | null {
    const v = this.byCode.get(code);
    if (!v || v.level !== 'village') return null; // the code's own check reports it
    return nameKey(v.name, VILLAGE_PREFIX) === nameKey(name, VILLAGE_PREFIX) ? null : `"${name}" is not the name of village ${code} (${v.name})`;
  }

  /** Why a Kab/Kota name does not fit the regency, or null; "Kota Bekasi" is not "Kabupaten Bekasi". */
  regencyNameProblem(regencyCode: string, name: string): string | null {
    const r = this.byCode.get(regencyCode);
    if (!r) return null;
    const typed = name.trim().toLowerCase();
    const isKota = Number(regencyCode.slice(2)) >= 71;
    const saysKota = /^kota\b/.test(typed);
    const saysKab = /^(kabupaten|kab)\b/.test(typed);
    const same = nameKey(typed, REGENCY_PREFIX) === nameKey(r.name, REGENCY_PREFIX);
    if (same && !(saysKota && !isKota) && !(saysKab && isKota)) return null;
    return `"${name}" is not ${r.name}, the regency of this import`;
  }

  /** Children of a region, or the provinces when no parent is given; undefined for an unknown parent. */
  childrenOf(parent?: string): Region[] | undefined {
    if (parent !== undefined && !this.byCode.has(parent)) return undefined;
    return this.children.get(parent ?? '') ?? [];
  }
}
