import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { NotFound, ValidationFailed, type FieldProblem } from '../../common/errors/domain-error.js';
import { addDaysIso, addMonthsIso, localDay } from '../families/dates.js';
import { type Actor, aggregateInScope, aggregatePrefix, inScope, villageInScope } from '../identity/actor.js';
import { RegionsService } from '../regions/regions.service.js';
import type { TargetGroup } from '../subjects/subject-rules.js';
import { ConvergenceRepository, NATIONAL, type PackageRow, type ReportRow } from './convergence.repository.js';
import type { ConvergencePackageDto, ConvergenceReportQueryDto } from './dto/convergence.dto.js';
import { type PackageGroups, type PackageItem, packageProblems } from './package.js';
import { scorecard } from './scorecard.js';

const pct = (a: number, b: number) => (b ? Math.round((a / b) * 1000) / 10 : null);

/** The package as stored, without the undefined fields a DTO carries. */
function groupsOf(dto: ConvergencePackageDto): PackageGroups {
  const clean = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return Object.fromEntries(
    dto.groups.map((g) => [g.targetGroup, g.items.map((i) => clean({ ...i, condition: i.condition && clean({ ...i.condition }), evidence: i.evidence.map((e) => clean({ ...e })) }) as PackageItem)]),
  );
}

/**
 * Convergence (issue 18 part 2): whether each target receives the package of essential services
 * of its group. A subject's scorecard is the pure `scorecard()` over its facts; the report counts
 * the same rules in SQL over every target of a region at once.
 */
@Injectable()
export class ConvergenceService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: ConvergenceRepository,
    private readonly regions: RegionsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async readPackage(actor: Actor, regencyCode: string) {
    if (!aggregateInScope(actor, regencyCode)) throw new NotFound('convergence package');
    const current = (await this.repo.current([regencyCode])).get(regencyCode)!;
    const versions = await this.repo.versions(regencyCode);
    return { regencyCode, current: view(current), versions: versions.map(view) };
  }

  /** Puts the regency's next version in force; scorecards and reports read the version in force when asked. */
  async putPackage(actor: Actor, regencyCode: string, dto: ConvergencePackageDto) {
    if (!inScope(actor, regencyCode)) throw new NotFound('convergence package');
    const groups = groupsOf(dto);
    const problems: FieldProblem[] = packageProblems(dto.groups.map((g) => ({ targetGroup: g.targetGroup, items: groups[g.targetGroup as TargetGroup] ?? [] })));
    const known = await this.repo.catalogueCodes(regencyCode);
    dto.groups.forEach((g, gi) =>
      g.items.forEach((item, ii) =>
        item.evidence.forEach((e, ei) => {
          if (e.catalogueCodes?.some((c) => !known.has(c))) {
            problems.push({ field: `groups.${gi}.items.${ii}.evidence.${ei}.catalogueCodes`, reason: `is not a catalogue code of regency ${regencyCode}` });
          }
        }),
      ),
    );
    if (problems.length) throw new ValidationFailed(problems);
    const version = await this.ds.transaction((em) => this.repo.add(em, regencyCode, groups, dto.source ?? null, actor.userId, this.clock.now()));
    return { regencyCode, version, groups, source: dto.source ?? null };
  }

  /**
   * A subject's scorecard today, for the roles that may read the subject: case workers and
   * viewers of its regency, a TPK member of its village, an OPD liaison only for a child with a
   * task of their OPD (as the timeline). Anyone else, or a subject out of scope: 404.
   */
  async ofSubject(actor: Actor, subjectId: string) {
    const s = await this.repo.subject(subjectId);
    if (!s || !inScope(actor, s.regencyCode) || !villageInScope(actor, s.villageCode)) throw new NotFound('subject');
    if (actor.role === 'opd_liaison' && !(actor.opdId && (await this.repo.hasTaskOfOpd(s.id, actor.opdId)))) throw new NotFound('subject');
    const asOf = localDay(s.regencyCode, this.clock.now());
    const pkg = (await this.repo.current([s.regencyCode])).get(s.regencyCode)!;
    const items = pkg.body.groups[s.targetGroup] ?? [];
    const card = scorecard(items, await this.repo.facts(s, asOf), asOf);
    return {
      subject: { id: s.id, targetGroup: s.targetGroup, villageCode: s.villageCode },
      package: { regencyCode: pkg.regencyCode, version: pkg.version },
      ...card,
    };
  }

  /**
   * Per village or kecamatan and per target group: the targets, how many receive the full package
   * (every applicable item met) and per item how many of those it applies to have it. Counts only,
   * within the caller's aggregate scope; a region outside it answers 404.
   */
  async report(actor: Actor, q: ConvergenceReportQueryDto) {
    const scope = aggregatePrefix(actor);
    const prefix = q.code ?? scope;
    if (!aggregateInScope(actor, prefix)) throw new NotFound('region');
    // Computed when asked (no summary): one regency at a time keeps it to seconds at most.
    if (prefix.length < 4) throw ValidationFailed.field('code', 'is required: a regency, kecamatan or village code');
    if (q.level === 'kecamatan' && prefix.length === 10) throw ValidationFailed.field('code', 'is a village: ask level=desa');
    // The nation's month ends by the calendar of Jakarta (WIB); a province or regency by its own.
    const today = localDay(prefix || '31', this.clock.now());
    const first = `${q.period}-01`;
    if (first > today) throw ValidationFailed.field('period', 'is in the future');
    const monthEnd = addDaysIso(addMonthsIso(first, 1), -1);
    const asOf = monthEnd < today ? monthEnd : today;
    const level = q.level === 'desa' ? 10 : 6;

    // Regencies with a package of their own answer with it; every other one with the national package.
    const own = await this.repo.overriding(prefix);
    const packages = await this.repo.current([NATIONAL, ...own]);
    const runs: { pkg: PackageRow; prefix: string; excluded: string[] }[] = [
      { pkg: packages.get(NATIONAL)!, prefix, excluded: own },
      ...own.map((r) => ({ pkg: packages.get(r)!, prefix: prefix.length >= 4 ? prefix : r, excluded: [] })),
    ];
    const regions = new Map<string, { pkg: PackageRow; groups: Map<string, ReportRow> }>();
    for (const run of runs) {
      for (const [group, items] of Object.entries(run.pkg.body.groups) as [TargetGroup, PackageItem[]][]) {
        for (const row of await this.repo.report(run.prefix, run.excluded, group, items, asOf, level)) {
          const region = regions.get(row.code) ?? { pkg: run.pkg, groups: new Map() };
          region.groups.set(group, row);
          regions.set(row.code, region);
        }
      }
    }
    return {
      level: q.level,
      period: q.period,
      asOf,
      code: prefix,
      regions: [...regions].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, r]) => ({
        code,
        ...this.names(code),
        package: { regencyCode: r.pkg.regencyCode, version: r.pkg.version },
        groups: (Object.entries(r.pkg.body.groups) as [TargetGroup, PackageItem[]][]).map(([targetGroup, items]) => {
          const row = r.groups.get(targetGroup);
          return {
            targetGroup,
            targets: row?.targets ?? 0,
            fullPackage: row?.full ?? 0,
            fullPackageShare: pct(row?.full ?? 0, row?.targets ?? 0),
            items: items.map((item, i) => {
              const c = row?.items[i] ?? { applicable: 0, met: 0 };
              return { code: item.code, name: item.name, applicable: c.applicable, met: c.met, share: pct(c.met, c.applicable) };
            }),
          };
        }),
      })),
    };
  }

  private names(code: string): { name: string | null; kecamatanName: string | null } {
    if (code.length === 10) {
      const p = this.regions.place(code);
      return { name: p.villageName, kecamatanName: p.districtName };
    }
    const name = this.regions.find(code)?.name ?? null;
    return { name, kecamatanName: name };
  }
}

function view(r: PackageRow) {
  return { regencyCode: r.regencyCode, version: r.version, groups: r.body.groups, source: r.source, createdAt: new Date(r.createdAt).toISOString() };
}
