import { Inject, Injectable } from '@nestjs/common';
import ExcelJS from 'exceljs';
import { DataSource } from 'typeorm';
import { localDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, type FieldProblem, Forbidden, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import { uuidv7 } from '../../common/ids/uuid-v7.js';
import { type Actor, aggregateInScope, aggregatePrefix, inScope, regencyScope } from '../identity/actor.js';
import { OPD_CATALOGUE } from '../organisations/opd-catalogue.js';
import { RegionsService } from '../regions/regions.service.js';
import { AnsitRepository, type EngineFigures, type IndicatorRow, type ValueRow } from './ansit.repository.js';
import { completeness, type CompletenessVillage } from './completeness.js';
import type { CreateIndicatorDto, PutAnsitValuesDto } from './dto/ansit.dto.js';

/**
 * Master Ansit (domain-wave2 §3): the indicator catalogue as data, the values per year, village
 * and indicator with their provenance, the engine's pre-filled figures, completeness and the
 * district's XLSX sheet. Counts only: no person's data is read out of the source tables.
 */
@Injectable()
export class AnsitService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: AnsitRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The national catalogue, and a regency's own indicators beside it (a regency user's own regency by default). */
  async indicators(actor: Actor, regencyCode: string | undefined) {
    let regency: string | null = actor.regencyCode;
    if (regencyCode !== undefined) {
      if (!aggregateInScope(actor, regencyCode) || !this.regions.isRegency(regencyCode)) throw new NotFound('regency');
      regency = regencyCode;
    }
    return { regencyCode: regency, items: (await this.repo.indicators(regency)).map(indicatorView) };
  }

  /** A regency admin adds their regency's indicator; the national admin a national one. */
  async addIndicator(actor: Actor, dto: CreateIndicatorDto) {
    // A province admin's null regency is not the nation's: regencyScope refuses aggregates-only users.
    const regency = regencyScope(actor);
    const owners = new Set([...OPD_CATALOGUE.map((o) => o.code), ...(regency ? await this.repo.opdCodes(regency) : [])]);
    if (!owners.has(dto.ownerOpdCode)) {
      throw regency ? ValidationFailed.field('ownerOpdCode', `is not an OPD code of regency ${regency}`) : ValidationFailed.field('ownerOpdCode', 'is not an OPD code of the catalogue');
    }
    const row: IndicatorRow = {
      code: dto.code,
      regencyCode: regency,
      name: dto.name,
      kind: dto.kind,
      sheet: dto.sheet,
      unit: dto.unit,
      numerator: dto.numerator,
      denominator: dto.denominator ?? null,
      ownerOpdCode: dto.ownerOpdCode,
      computedBy: dto.computedBy ?? null,
      status: dto.status ?? 'to_complete',
      source: dto.source ?? null,
    };
    const now = this.clock.now();
    if (!(await this.repo.addIndicator({ ...row, id: uuidv7(now.getTime()), createdBy: actor.userId, at: now }))) {
      throw new Conflict(`indicator ${dto.code} exists already`, { field: 'code' });
    }
    return indicatorView(row);
  }

  /** Every indicator of the village's regency with its value: entered, else the engine's, and the engine's beside it. */
  async village(actor: Actor, year: number, villageCode: string) {
    const regency = this.villageOf(actor, villageCode);
    const [indicators, values, engine] = await Promise.all([this.repo.indicators(regency), this.repo.values(regency, year, villageCode), this.repo.engine(regency, year, villageCode)]);
    const entered = new Map(values.map((v) => [v.indicatorCode, v]));
    const computedAt = this.clock.now().toISOString();
    const p = this.regions.place(villageCode);
    return {
      year,
      regencyCode: regency,
      villageCode,
      villageName: p.villageName,
      districtCode: p.districtCode,
      districtName: p.districtName,
      values: indicators.map((i) => cell(i, entered.get(i.code), engine, villageCode, computedAt)),
    };
  }

  /**
   * Enters one village's values. An OPD liaison enters their own OPD's indicators only; a case
   * manager or admin of the regency any. A value entered over an engine figure is kept as manual
   * and wins over the engine's (which the answer still shows beside it).
   */
  async put(actor: Actor, year: number, villageCode: string, dto: PutAnsitValuesDto) {
    const regency = this.villageOf(actor, villageCode);
    const lastYear = Number(localDay(this.clock.now(), regency).slice(0, 4)) + 1;
    const byCode = new Map((await this.repo.indicators(regency)).map((i) => [i.code, i]));
    const problems: FieldProblem[] = [];
    if (year > lastYear) problems.push({ field: 'year', reason: `must be at most ${lastYear}` });
    const seen = new Set<string>();
    dto.values.forEach((v, i) => {
      if (!byCode.has(v.indicatorCode)) problems.push({ field: `values.${i}.indicatorCode`, reason: `is not an indicator of regency ${regency}` });
      else if (seen.has(v.indicatorCode)) problems.push({ field: `values.${i}.indicatorCode`, reason: 'is listed twice' });
      seen.add(v.indicatorCode);
    });
    if (problems.length) throw new ValidationFailed(problems);
    if (actor.role === 'opd_liaison') {
      const own = actor.opdId ? await this.repo.opdCode(actor.opdId) : null;
      const foreign = dto.values.map((v) => byCode.get(v.indicatorCode)!).filter((i) => i.ownerOpdCode !== own);
      if (foreign.length) {
        throw new Forbidden(`indicator ${foreign.map((i) => `${i.code} belongs to ${i.ownerOpdCode}`).join(', ')}; an OPD liaison enters their own OPD's (${own ?? 'none'}) indicators only`);
      }
    }
    await this.ds.transaction((em) =>
      this.repo.putValues(em, {
        regencyCode: regency,
        year,
        villageCode,
        by: actor.userId,
        at: this.clock.now(),
        values: dto.values.map((v) => ({ indicatorCode: v.indicatorCode, value: v.value, note: v.note ?? null })),
      }),
    );
    return this.village(actor, year, villageCode);
  }

  /** Filled cells over indicators × every village of the regency (RegionsService), per indicator and kecamatan. */
  async completeness(actor: Actor, year: number, regencyCode: string | undefined) {
    const regency = this.regencyOf(actor, regencyCode);
    const { indicators, villages, filled } = await this.grid(regency, year);
    const set = new Set<string>();
    for (const [key, c] of filled) if (c.value !== null) set.add(key);
    return { regencyCode: regency, year, ...completeness(indicators, villages, set) };
  }

  /** The district's sheet: one row per village (kecamatan, desa code and name), one column per indicator. */
  async exportXlsx(actor: Actor, year: number, regencyCode: string | undefined): Promise<Buffer> {
    const regency = this.regencyOf(actor, regencyCode);
    const { indicators, villages, filled } = await this.grid(regency, year);
    const wb = new ExcelJS.Workbook();
    wb.created = this.clock.now();
    const ws = wb.addWorksheet(`Master Ansit ${year}`);
    ws.columns = [
      { header: 'Kode Kecamatan', key: 'districtCode', width: 14 },
      { header: 'Kecamatan', key: 'districtName', width: 22 },
      { header: 'Kode Desa', key: 'villageCode', width: 14 },
      { header: 'Desa/Kelurahan', key: 'villageName', width: 24 },
      ...indicators.map((i) => ({ header: i.code, key: i.code, width: Math.max(12, i.code.length + 2) })),
    ];
    for (const v of villages) {
      const row: Record<string, string | number | null> = { districtCode: v.districtCode, districtName: v.districtName, villageCode: v.villageCode, villageName: v.villageName };
      for (const i of indicators) row[i.code] = filled.get(`${i.code}|${v.villageCode}`)?.value ?? null;
      ws.addRow(row);
    }
    // The indicator names and units on a sheet of their own: the value sheet stays one header row.
    const legend = wb.addWorksheet('Indikator');
    legend.columns = [
      { header: 'Kode', key: 'code', width: 20 },
      { header: 'Nama', key: 'name', width: 60 },
      { header: 'Jenis', key: 'kind', width: 10 },
      { header: 'Sheet', key: 'sheet', width: 16 },
      { header: 'Satuan', key: 'unit', width: 10 },
      { header: 'OPD', key: 'ownerOpdCode', width: 10 },
    ];
    for (const i of indicators) legend.addRow(i);
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  /** Every indicator and village of a regency's year, and each filled cell's value (entered, else the engine's). */
  private async grid(regency: string, year: number) {
    const [indicators, values, engine] = await Promise.all([this.repo.indicators(regency), this.repo.values(regency, year, null), this.repo.engine(regency, year, null)]);
    const villages = this.villagesOf(regency);
    const filled = new Map<string, { value: number | null }>();
    for (const i of indicators) {
      if (!i.computedBy) continue;
      for (const v of villages) filled.set(`${i.code}|${v.villageCode}`, { value: engine.of(v.villageCode, i.computedBy) });
    }
    // An entered value (null included: a cleared cell) overrides the engine's.
    for (const v of values) filled.set(`${v.indicatorCode}|${v.villageCode}`, { value: v.value });
    return { indicators, villages, filled };
  }

  private villagesOf(regency: string): (CompletenessVillage & { villageName: string })[] {
    const out: (CompletenessVillage & { villageName: string })[] = [];
    for (const d of this.regions.childrenOf(regency) ?? []) {
      for (const v of this.regions.childrenOf(d.code) ?? []) out.push({ villageCode: v.code, villageName: v.name, districtCode: d.code, districtName: d.name });
    }
    return out.sort((a, b) => a.districtCode.localeCompare(b.districtCode) || a.villageCode.localeCompare(b.villageCode));
  }

  /** A real village of a regency the caller works in, else 404. */
  private villageOf(actor: Actor, villageCode: string): string {
    if (!this.regions.isVillage(villageCode) || !inScope(actor, villageCode.slice(0, 4))) throw new NotFound('village');
    return villageCode.slice(0, 4);
  }

  /** The regency an aggregate read is about: the one named (inside the caller's scope, else 404), or the caller's own. */
  private regencyOf(actor: Actor, requested: string | undefined): string {
    if (requested !== undefined) {
      if (!aggregateInScope(actor, requested) || !this.regions.isRegency(requested)) throw new NotFound('regency');
      return requested;
    }
    const prefix = aggregatePrefix(actor);
    if (prefix.length === 4) return prefix;
    throw ValidationFailed.field('regencyCode', 'is required for a user not bound to one regency');
  }
}

function indicatorView(i: IndicatorRow) {
  return {
    code: i.code,
    regencyCode: i.regencyCode,
    name: i.name,
    kind: i.kind,
    sheet: i.sheet,
    unit: i.unit,
    numerator: i.numerator,
    denominator: i.denominator,
    ownerOpdCode: i.ownerOpdCode,
    computedBy: i.computedBy,
    status: i.status,
    source: i.source,
  };
}

function cell(i: IndicatorRow, entered: ValueRow | undefined, engine: EngineFigures, villageCode: string, computedAt: string) {
  const engineValue = i.computedBy ? engine.of(villageCode, i.computedBy) : null;
  const base = { indicatorCode: i.code, name: i.name, kind: i.kind, sheet: i.sheet, unit: i.unit, ownerOpdCode: i.ownerOpdCode, status: i.status, computedBy: i.computedBy, engineValue };
  if (entered) {
    return { ...base, value: entered.value, provenance: entered.provenance, enteredBy: entered.enteredBy, enteredAt: new Date(entered.enteredAt).toISOString(), note: entered.note, prefilled: false };
  }
  if (engineValue !== null) return { ...base, value: engineValue, provenance: 'engine' as const, enteredBy: null, enteredAt: computedAt, note: null, prefilled: true };
  return { ...base, value: null, provenance: null, enteredBy: null, enteredAt: null, note: null, prefilled: false };
}
