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
    const region: Region = { code, name, level: LEVEL_BY_LENGTH[code.length], parentCode: parentDotted ? undot(parentDotted) : null };
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

  isRegency(code: string): boolean {
    return this.byCode.get(code)?.level === 'regency';
  }

  isDistrict(code: string): boolean {
    return this.byCode.get(code)?.level === 'district';
  }

  isVillage(code: string): boolean {
    return this.byCode.get(code)?.level === 'village';
  }

  /** Children of a region, or the provinces when no parent is given; undefined for an unknown parent. */
  childrenOf(parent?: string): Region[] | undefined {
    if (parent !== undefined && !this.byCode.has(parent)) return undefined;
    return this.children.get(parent ?? '') ?? [];
  }
}
