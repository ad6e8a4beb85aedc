import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { Conflict, NotFound, ValidationFailed, VersionConflict } from '../../common/errors/domain-error.js';
import type { HistoryEntry } from '../../workflow/lifecycle.js';
import type { DeadlineView } from '../../workflow/step-deadlines.service.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { type Actor, regencyScope, targetRegency } from '../identity/actor.js';
import { OpdsService } from '../organisations/opds.service.js';
import { checkOwner } from './aksi-document.lifecycle.js';
import { AksiCyclesRepository } from './aksi-cycles.repository.js';
import { type AksiDocumentRow, AksiDocumentsRepository, type AksiVersionRow } from './aksi-documents.repository.js';
import type { CreateDocumentDto, ListDocumentsQueryDto } from './dto/aksi.dto.js';
import { EvidenceFiles } from './evidence-files.js';
import { IMMUTABLE_STATES } from './machine/aksi-document.types.js';

/** The OPD that leads the 8 Aksi evidence unless the document names another (domain brief §6). */
export const LEAD_OPD_CODE = 'BAPPEDA';
const LIST_LIMIT = 500;

export interface VersionView {
  n: number;
  sha256: string;
  size: number;
  contentType: string;
  filename: string;
  uploadedBy: string;
  uploadedAt: string;
}

export interface DocumentView {
  id: string;
  regencyCode: string;
  year: number;
  action: number;
  type: string;
  title: string;
  ownerOpdId: string;
  ownerOpdCode: string | null;
  state: string;
  version: number;
  /** The latest file version (null: none yet), and the one marked ready or submitted. */
  currentVersion: number | null;
  markedVersion: number | null;
  revisionReason: string | null;
  deadline: DeadlineView | null;
  allowedEvents: string[];
  createdAt: string;
  updatedAt: string;
  versions?: VersionView[];
  history?: object[];
}

export interface UploadedFile {
  path: string;
  size: number;
  mimetype: string;
  originalname: string;
}

@Injectable()
export class AksiDocumentsService {
  constructor(
    private readonly ds: DataSource,
    private readonly documents: AksiDocumentsRepository,
    private readonly cycles: AksiCyclesRepository,
    private readonly workflow: WorkflowService,
    private readonly policies: SlaPoliciesService,
    private readonly opds: OpdsService,
    private readonly files: EvidenceFiles,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async create(actor: Actor, year: number, dto: CreateDocumentDto): Promise<DocumentView> {
    const regencyCode = targetRegency(actor, dto.regencyCode);
    if (!regencyCode) throw ValidationFailed.field('regencyCode', 'is required for a national or province user');
    const id = await this.ds.transaction(async (em) => {
      const cycle = await this.cycles.effective(em, year, regencyCode);
      if (!cycle) throw new Conflict(`no assessment cycle is set for ${year}: set it first (PUT /api/v1/aksi/${year}/cycle)`);
      let ownerOpdId = dto.ownerOpdId;
      if (ownerOpdId === undefined) {
        const lead = await this.opds.byCode(em, regencyCode, LEAD_OPD_CODE);
        if (!lead) throw ValidationFailed.field('ownerOpdId', `is required: regency ${regencyCode} has no BAPPEDA OPD to default to`);
        ownerOpdId = lead.id;
      } else if (!(await this.opds.existsInRegency(em, ownerOpdId, regencyCode))) {
        throw ValidationFailed.field('ownerOpdId', `names no OPD of regency ${regencyCode}`);
      }
      const now = this.clock.now();
      const row = { id: randomUUID(), regencyCode, year, action: dto.action, type: dto.type, title: dto.title, ownerOpdId, createdBy: actor.userId, createdAt: now, updatedAt: now };
      const [created] = await this.workflow.start<AksiDocumentRow>('aksi_document', em, actor, [
        {
          row,
          input: { createdAt: now.toISOString() },
          entry: { type: 'CREATE', payload: { action: dto.action, type: dto.type, title: dto.title, ownerOpdId, uploadDeadline: cycle.uploadDeadline } },
          policy: await this.policies.of(regencyCode, em),
          villageCode: null,
          opdId: ownerOpdId,
        },
      ]);
      return created.id;
    });
    return this.get(actor, id);
  }

  async list(actor: Actor, year: number, q: ListDocumentsQueryDto): Promise<{ items: DocumentView[] }> {
    const scope = regencyScope(actor);
    const regencyCode = scope ?? q.regencyCode;
    if (!regencyCode) throw ValidationFailed.field('regencyCode', 'is required for a national or province user');
    if (scope !== null && q.regencyCode !== undefined && q.regencyCode !== scope) return { items: [] };
    const rows = await this.documents.list(this.ds.manager, { regencyCode, year, action: q.action, state: q.state, limit: LIST_LIMIT });
    return { items: await this.views(actor, rows, false) };
  }

  async get(actor: Actor, id: string): Promise<DocumentView> {
    const row = await this.documents.findInScope(this.ds.manager, id, regencyScope(actor));
    if (!row) throw new NotFound('document');
    return (await this.views(actor, [row], true))[0];
  }

  async apply(actor: Actor, id: string, expectedVersion: number, command: { type: string; payload: Record<string, unknown> }): Promise<DocumentView> {
    await this.workflow.apply<AksiDocumentRow>('aksi_document', id, command, actor, { expectedVersion });
    return this.get(actor, id);
  }

  /**
   * A new file version. Refused, before anything is stored, while the document is submitted or
   * accepted: the province reviews the version it was given. In draft it stays draft; in ready
   * it goes back to draft (the ready mark was for the previous file).
   */
  async addVersion(actor: Actor, id: string, expectedVersion: number | undefined, file: UploadedFile): Promise<DocumentView> {
    const row = await this.documents.findInScope(this.ds.manager, id, regencyScope(actor));
    if (!row) throw new NotFound('document');
    checkOwner(actor, row);
    if (IMMUTABLE_STATES.includes(row.state)) {
      throw new Conflict(
        `the document is ${row.state}: the version given to the province cannot change; a new version needs a revision first (REQUEST_REVISION, then REVISE back to draft)`,
        { state: row.state },
      );
    }
    if (expectedVersion !== undefined && expectedVersion !== row.version) {
      throw new VersionConflict('document', expectedVersion, row.version);
    }
    const stored = await this.files.keep(file.path);
    await this.ds.transaction(async (em) => {
      const n = row.snapshot.context.versions + 1;
      const now = this.clock.now();
      await this.workflow.apply<AksiDocumentRow>('aksi_document', id, { type: 'ADD_VERSION', payload: { n, sha256: stored.sha256, size: stored.size } }, actor, {
        em,
        expectedVersion: row.version,
      });
      await this.documents.insertVersion(em, {
        documentId: id,
        n,
        sha256: stored.sha256,
        size: stored.size,
        contentType: file.mimetype || 'application/octet-stream',
        filename: file.originalname || 'upload',
        uploadedBy: actor.userId,
        uploadedAt: now,
      });
    });
    return this.get(actor, id);
  }

  /** A version's body, streamed from the store, for a reader of the document; 404 for a version it does not have. */
  async versionFile(actor: Actor, id: string, n: number): Promise<{ body: Readable; sha256: string; size: number; contentType: string; filename: string }> {
    const row = await this.documents.findInScope(this.ds.manager, id, regencyScope(actor));
    if (!row) throw new NotFound('document');
    const v = await this.documents.version(this.ds.manager, id, n);
    if (!v) throw new NotFound('version');
    const body = await this.files.open(v.sha256);
    return { body, sha256: v.sha256, size: v.size, contentType: v.contentType, filename: v.filename };
  }

  private async views(actor: Actor, rows: AksiDocumentRow[], full: boolean): Promise<DocumentView[]> {
    const em = this.ds.manager;
    const ids = rows.map((r) => r.id);
    const deadlines = await this.workflow.currentSteps(em, 'aksi_document', ids);
    const opds = await this.opds.summaries(em, rows.map((r) => r.ownerOpdId));
    const versions = full ? await this.documents.versions(em, ids) : [];
    const out: DocumentView[] = [];
    for (const r of rows) {
      const c = r.snapshot.context;
      const view: DocumentView = {
        id: r.id,
        regencyCode: r.regencyCode,
        year: r.year,
        action: r.action,
        type: r.type,
        title: r.title,
        ownerOpdId: r.ownerOpdId,
        ownerOpdCode: opds.get(r.ownerOpdId)?.code ?? null,
        state: r.state,
        version: r.version,
        currentVersion: c.versions || null,
        markedVersion: c.markedVersion,
        revisionReason: c.revisionReason,
        deadline: deadlines.get(r.id) ?? null,
        allowedEvents: this.workflow.allowedEvents('aksi_document', actor, r),
        createdAt: new Date(r.createdAt).toISOString(),
        updatedAt: new Date(r.updatedAt).toISOString(),
      };
      if (full) {
        view.versions = versions.filter((v) => v.documentId === r.id).map(versionView);
        view.history = (await this.workflow.history('aksi_document', r.id, em)).map(historyView);
      }
      out.push(view);
    }
    return out;
  }
}

function versionView(v: AksiVersionRow): VersionView {
  return { n: v.n, sha256: v.sha256, size: v.size, contentType: v.contentType, filename: v.filename, uploadedBy: v.uploadedBy, uploadedAt: new Date(v.uploadedAt).toISOString() };
}

function historyView(h: HistoryEntry): object {
  return {
    seq: h.seq,
    type: h.type,
    fromState: h.fromState,
    toState: h.toState,
    payload: h.payload,
    actor: h.actorId ? { id: h.actorId, role: h.actorRole } : null,
    cause: h.cause,
    at: new Date(h.at).toISOString(),
  };
}
