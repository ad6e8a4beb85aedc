import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Forbidden } from '../../common/errors/domain-error.js';
import { Lifecycle, type LifecycleDefinition, type Loaded, type Move, type StepOpen, type StepParties } from '../../workflow/lifecycle.js';
import type { DueStep } from '../../workflow/step-deadlines.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope } from '../identity/actor.js';
import type { Role } from '../identity/role.js';
import { UsersDirectory } from '../identity/users.directory.js';
import { OpdsService } from '../organisations/opds.service.js';
import { endOfLocalDay } from './aksi-deadline.js';
import { AksiCyclesRepository, type CycleRow } from './aksi-cycles.repository.js';
import { type AksiDocumentRow, AksiDocumentsRepository } from './aksi-documents.repository.js';
import { aksiDocumentMachine, LATEST_AKSI_DOCUMENT_MACHINE } from './machine/aksi-document.machine.js';
import type { AksiDocumentContext, AksiDocumentEventType, AksiDocumentState } from './machine/aksi-document.types.js';

/**
 * Who may send each event; the machine decides when. The OPD liaison of the owner OPD prepares
 * the file (versions, ready, back to draft); the regency's TPPS secretariat (case manager, admin)
 * does everything, including recording the province's verdict (REQUEST_REVISION, ACCEPT) as the
 * province gives it in the Aksi Bangda app: province users see aggregates only here.
 */
export const AKSI_DOCUMENT_EVENT_ROLES: Record<AksiDocumentEventType, readonly Role[]> = {
  ADD_VERSION: ['opd_liaison', 'case_manager', 'admin'],
  MARK_READY: ['opd_liaison', 'case_manager', 'admin'],
  REVISE: ['opd_liaison', 'case_manager', 'admin'],
  UPLOAD: ['case_manager', 'admin'],
  REQUEST_REVISION: ['case_manager', 'admin'],
  ACCEPT: ['case_manager', 'admin'],
};

export const AKSI_READERS = ['admin', 'case_manager', 'auditor', 'opd_liaison', 'viewer'] as const;
export const AKSI_DOCUMENT_ACTORS = [...new Set(Object.values(AKSI_DOCUMENT_EVENT_ROLES).flat())];

/** The states whose step is the preparation of the file, due at the end of the cycle's upload day. */
const PREPARING: readonly AksiDocumentState[] = ['draft', 'revision_requested'];

export const LIAISON_OTHER_OPD = "an OPD liaison acts on their own OPD's documents only";

/** A liaison acts on their own OPD's documents; everyone else by role. */
export function checkOwner(actor: Actor, row: Pick<AksiDocumentRow, 'ownerOpdId'>): void {
  if (actor.role === 'opd_liaison' && actor.opdId !== row.ownerOpdId) throw new Forbidden(LIAISON_OTHER_OPD);
}

/** When a document's preparation is due under a cycle: the end of the upload day in the regency's zone. */
export function preparationDue(cycle: Pick<CycleRow, 'uploadDeadline'>, regencyCode: string): Date {
  return endOfLocalDay(cycle.uploadDeadline, regencyCode);
}

/** An 8 Aksi evidence document on the workflow kernel: versions, readiness, submission, the province's verdict. */
@Injectable()
@Lifecycle()
export class AksiDocumentLifecycle implements LifecycleDefinition<AksiDocumentRow> {
  readonly type = 'aksi_document';
  readonly noun = 'document';
  readonly latestMachine = LATEST_AKSI_DOCUMENT_MACHINE;
  readonly table = 'aksi_documents';
  readonly history = 'aksi_document_history';
  readonly historyKey = 'document_id';
  readonly eventRoles = AKSI_DOCUMENT_EVENT_ROLES;
  // An accepted document may still be reopened by the province: none is final.
  readonly finished = [] as const;
  readonly internalEvents = ['ADD_VERSION'] as const;

  constructor(
    private readonly documents: AksiDocumentsRepository,
    private readonly cycles: AksiCyclesRepository,
    private readonly policies: SlaPoliciesService,
    private readonly users: UsersDirectory,
    private readonly opds: OpdsService,
  ) {}

  machine(version: number) {
    return aksiDocumentMachine(version);
  }

  async load(em: EntityManager, id: string, actor: Actor | null): Promise<Loaded<AksiDocumentRow> | null> {
    const row = await this.documents.findInScope(em, id, actor ? regencyScope(actor) : null);
    if (!row) return null;
    const policy = await this.policies.of(row.regencyCode, em);
    const cycle = await this.cycles.effective(em, row.year, row.regencyCode);
    return { row, policy, villageCode: null, opdId: row.ownerOpdId, extra: { cycle } };
  }

  insert(em: EntityManager, rows: AksiDocumentRow[]): Promise<void> {
    return this.documents.insert(em, rows);
  }

  inputOf(first: { at: Date }) {
    return { createdAt: new Date(first.at).toISOString() };
  }

  complete(m: Move<AksiDocumentRow>): Promise<Record<string, unknown>> {
    if (!m.cause) checkOwner(m.actor, m.row);
    return Promise.resolve({ ...m.command.payload });
  }

  guardProblem(type: string, context: unknown, event: Record<string, unknown>): string | null {
    const c = context as AksiDocumentContext;
    if (type === 'MARK_READY' && c.versions === 0) return 'the document has no file yet: add a version before marking it ready';
    if (type === 'ADD_VERSION' && event.n !== c.versions + 1) return `the next version is ${c.versions + 1}`;
    return null;
  }

  /**
   * A document being prepared answers to the upload deadline; the ladder warns before it. A
   * document that enters preparation again after the deadline has passed (a late revision) gets
   * no step: how long the province gives for a revision is not known.
   */
  stepOf(m: Move<AksiDocumentRow>, to: string): StepOpen | null {
    if (!PREPARING.includes(to as AksiDocumentState)) return null;
    // A new document carries its cycle's deadline in its first entry; a loaded one has its cycle.
    const cycle = m.command.type === 'CREATE' ? { uploadDeadline: m.command.payload.uploadDeadline as string } : (m.loaded.extra as { cycle: CycleRow | null } | undefined)?.cycle;
    if (!cycle) return null;
    const dueAt = preparationDue(cycle, m.row.regencyCode);
    const continues = PREPARING.includes(m.row.state) && m.row.stepDueAt !== null;
    if (continues) return { step: 'prepare', dueAt: m.row.stepDueAt!, keep: true };
    return dueAt > m.now ? { step: 'prepare', dueAt } : null;
  }

  /** The owner OPD's liaisons first; the OPD head and the TPPS chair by the ladder's own rules. */
  async parties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>> {
    const docs = await this.documents.findMany(em, steps.map((s) => s.aggregateId));
    const opdIds = [...new Set(docs.map((d) => d.ownerOpdId))];
    const liaisons = await this.users.activeByRole(em, 'opd_liaison', { opdIds });
    const opds = await this.opds.summaries(em, opdIds);
    const out = new Map<string, StepParties>();
    for (const d of docs) {
      const step = steps.find((s) => s.aggregateId === d.id)!;
      out.set(d.id, {
        caseId: null,
        title: `8 Aksi ${d.year} action ${d.action} evidence (${d.type}, ${opds.get(d.ownerOpdId)?.code ?? 'OPD'}) is not ready; upload deadline ${step.dueAt.toISOString()}`,
        assignees: liaisons.filter((l) => l.opdId === d.ownerOpdId).map((l) => l.id),
        supervisors: [],
      });
    }
    return out;
  }
}
