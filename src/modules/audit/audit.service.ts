import { DEFAULT_ZONE_REGENCY, periodBound } from '../../common/clock/calendar-day.js';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { type Page } from '../../common/http/pagination.js';
import { decodeCursor, pageSize, toPage } from '../../common/http/pagination.js';
import { Forbidden } from '../../common/errors/domain-error.js';
import type { Actor } from '../identity/actor.js';
import { UsersDirectory } from '../identity/users.directory.js';
import type { AuditEntry } from './audit-chain.js';
import { AuditRepository } from './audit.repository.js';

export interface AuditRecord {
  actor: Pick<Actor, 'userId' | 'role' | 'regencyCode'> | null;
  /** The regency whose chain it joins: the record's, else the actor's; '' when neither has one. */
  regencyCode?: string | null;
  action: string;
  entityType?: string;
  entityId?: string | null;
  subjectId?: string | null;
  purpose?: string | null;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

export interface AuditView {
  regencyCode: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorRole: string | null;
  /** The actor's display name, so the DPO reads who rather than an id. */
  actorName: string | null;
  action: string;
  entityType: string | null;
  entityId: string | null;
  subjectId: string | null;
  purpose: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

const MAX_BATCH = 1000;

/**
 * The audit trail. `record` resolves once the entry is durably in its regency's hash chain, so a
 * request answers only after its audit entry is safe. Entries that arrive while a batch is being
 * written go together in the next one (group commit): one transaction for many requests.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger(AuditService.name);
  private queue: { entry: AuditEntry; done: (e?: unknown) => void }[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly repo: AuditRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    // Looked up when needed: the identity module records into this global one, so it cannot be a constructor dependency.
    private readonly moduleRef: ModuleRef,
  ) {}

  record(r: AuditRecord): Promise<void> {
    const entry: AuditEntry = {
      regencyCode: r.regencyCode ?? r.actor?.regencyCode ?? '',
      at: this.clock.now(),
      actorId: r.actor?.userId ?? null,
      actorRole: r.actor?.role ?? null,
      action: r.action,
      entityType: r.entityType ?? null,
      entityId: r.entityId ?? null,
      subjectId: r.subjectId ?? null,
      purpose: r.purpose ?? null,
      requestId: r.requestId ?? null,
      details: r.details ?? {},
    };
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, done: (e) => (e ? reject(e) : resolve()) });
      this.startWriting();
    });
  }

  /**
   * A writer for the queue, unless one runs. An entry queued after the writer's last look at the
   * queue but before it finished (a caller awaiting one record and recording the next at once)
   * starts the next writer: without it that entry would wait for a record that may never come.
   */
  private startWriting(): void {
    this.writing ??= this.drain().finally(() => {
      this.writing = null;
      if (this.queue.length) this.startWriting();
    });
  }

  /** Resolves once every entry recorded so far is in its chain. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.repo.append(batch.map((b) => b.entry));
        for (const b of batch) b.done();
      } catch (e) {
        this.logger.error({ kind: (e as Error)?.constructor?.name, entries: batch.length }, 'audit entries could not be written');
        for (const b of batch) b.done(e);
      }
    }
  }

  async list(
    actor: Actor,
    q: { regencyCode?: string; subjectId?: string; userId?: string; action?: string; from?: string; to?: string; cursor?: string; limit?: number },
  ): Promise<Page<AuditView>> {
    if (actor.regencyCode !== null && q.regencyCode !== undefined && q.regencyCode !== actor.regencyCode) throw new Forbidden('regencyCode is outside your regency');
    const limit = pageSize(q.limit);
    const after = decodeCursor(q.cursor, ['string', 'string', 'number']) as [string, string, number] | undefined;
    const rows = await this.repo.query({
      regencyCode: actor.regencyCode ?? q.regencyCode ?? null,
      subjectId: q.subjectId,
      userId: q.userId,
      action: q.action,
      from: q.from ? periodBound(q.from, 'from', actor.regencyCode ?? q.regencyCode ?? DEFAULT_ZONE_REGENCY) : undefined,
      to: q.to ? periodBound(q.to, 'to', actor.regencyCode ?? q.regencyCode ?? DEFAULT_ZONE_REGENCY) : undefined,
      after,
      limit,
    });
    const actorIds = [...new Set(rows.map((r) => r.actorId).filter((id): id is string => id !== null))];
    const names = await this.moduleRef.get(UsersDirectory, { strict: false }).displayNames(actorIds);
    return toPage(
      rows,
      limit,
      (r) => ({
        regencyCode: r.regencyCode,
        seq: r.seq,
        at: r.at.toISOString(),
        actorId: r.actorId,
        actorRole: r.actorRole,
        actorName: r.actorId ? (names.get(r.actorId) ?? null) : null,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        subjectId: r.subjectId,
        purpose: r.purpose,
        requestId: r.requestId,
        details: r.details,
      }),
      (r) => [r.at.toISOString(), r.regencyCode, r.seq],
    );
  }
}
