import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { dayOf, instantOf, isFutureDay } from '../../common/clock/calendar-day.js';
import { CLOCK, type Clock } from '../../common/clock/clock.js';
import { DomainError, NotFound, ValidationFailed } from '../../common/errors/domain-error.js';
import type { Page } from '../../common/http/pagination.js';
import { WorkflowService } from '../../workflow/workflow.service.js';
import type { SlaPolicy } from '../escalation/policy.js';
import { SlaPoliciesService } from '../escalation/sla-policies.service.js';
import { addDays } from '../escalation/working-days.js';
import type { Actor } from '../identity/actor.js';
import { CatalogueService } from './catalogue.service.js';
import type { RecordDeliveryDto } from './dto/intervention.dto.js';
import { InterventionLifecycle, interventionScope } from './intervention.lifecycle.js';
import type { DeliveryRow, InterventionEntity } from './intervention.entity.js';
import { InterventionsRepository } from './interventions.repository.js';

export interface DeliveryView {
  id: string;
  interventionId: string;
  deliveredAt: string;
  quantity: number;
  unit: string;
  amountIdr: number | null;
  note: string | null;
  evidenceRef: string | null;
  onTime: boolean;
  recordedAt: string;
}

export const toDeliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id,
  interventionId: d.interventionId,
  deliveredAt: d.deliveredAt.toISOString(),
  quantity: Number(d.quantity),
  unit: d.unit,
  amountIdr: d.amountIdr === null ? null : Number(d.amountIdr),
  note: d.note,
  evidenceRef: d.evidenceRef,
  onTime: d.onTime,
  recordedAt: d.recordedAt.toISOString(),
});

/**
 * Deliveries of CSR-funded interventions: idempotent per Idempotency-Key, each on time or not
 * against the step it answers. The first makes the intervention active (and, by the lifecycle's
 * declared effect, starts its case's intervention), in the delivery's transaction.
 */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly ds: DataSource,
    private readonly repo: InterventionsRepository,
    private readonly lifecycle: InterventionLifecycle,
    private readonly workflow: WorkflowService,
    private readonly catalogue: CatalogueService,
    private readonly policies: SlaPoliciesService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * Logs a delivery, once per Idempotency-Key: a retry with the same key and body gets the first
   * answer, with another body 422. The key is claimed in the delivery's transaction, so
   * concurrent retries wait for the first and then read its answer.
   */
  async deliver(actor: Actor, id: string, key: string, dto: RecordDeliveryDto): Promise<{ status: number; body: DeliveryView }> {
    const hash = createHash('sha256').update(JSON.stringify({ id, ...dto })).digest();
    return this.ds.transaction(async (em) => {
      const now = this.clock.now();
      // Locked first: what the caller may not see answers 404 whatever the key, and replays queue here.
      const row = await this.repo.lockInScope(em, id, interventionScope(actor));
      if (!row) throw new NotFound('intervention');
      const claim = await this.repo.claimKey(em, actor.userId, key, hash, now);
      if (!claim.claimed) {
        if (!claim.hash.equals(hash)) {
          throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request', { header: 'Idempotency-Key' });
        }
        return { status: claim.status ?? 201, body: claim.body as DeliveryView };
      }
      if (row.state !== 'approved' && row.state !== 'active') {
        throw new DomainError('INVALID_TRANSITION', `deliveries are logged on approved or active interventions; this one is ${row.state}`, { state: row.state });
      }
      const approvedAt = new Date(row.snapshot.context.approvedAt!);
      // A delivery typed as a day is on that day in the regency: on the day of approval it counts as after it.
      if (isFutureDay(dto.deliveredAt, row.regencyCode, now)) throw ValidationFailed.field('deliveredAt', 'is in the future');
      if (dayOf(dto.deliveredAt, row.regencyCode) < dayOf(approvedAt, row.regencyCode)) {
        throw ValidationFailed.field('deliveredAt', 'is before the intervention was approved');
      }
      const deliveredAt = instantOf(dto.deliveredAt, row.regencyCode, { now, notBefore: approvedAt });
      if (deliveredAt < approvedAt) throw ValidationFailed.field('deliveredAt', 'is before the intervention was approved');
      const policy = await this.policies.of(row.regencyCode, em);
      const delivery: DeliveryRow = {
        id: randomUUID(),
        regencyCode: row.regencyCode,
        interventionId: row.id,
        deliveredAt,
        quantity: dto.quantity,
        unit: dto.unit,
        amountIdr: dto.amountIdr ?? null,
        note: dto.note ?? null,
        evidenceRef: dto.evidenceRef ?? null,
        onTime: deliveredAt <= this.deliveryDue(row, policy),
        recordedBy: actor.userId,
        recordedAt: now,
      };
      await this.repo.insertDelivery(em, delivery);
      await this.recordDelivery(em, actor, row, delivery, policy);
      const body = toDeliveryView(delivery);
      await this.repo.storeResponse(em, actor.userId, key, 201, body);
      return { status: 201, body };
    });
  }

  /** When the next delivery is due: the first within the policy's days of approval, then within the cadence plus grace. */
  private deliveryDue(row: InterventionEntity, policy: SlaPolicy): Date {
    if (row.lastDeliveredAt === null) return addDays(new Date(row.snapshot.context.approvedAt!), policy.interventions.firstDeliveryDays);
    return addDays(row.lastDeliveredAt, row.cadenceDays + policy.interventions.graceDays);
  }

  /**
   * The first delivery moves the intervention to active (and its case to intervened, by the
   * lifecycle's effect); a later one is recorded with the totals it changes and a new due date.
   */
  private async recordDelivery(em: EntityManager, actor: Actor, row: InterventionEntity, d: DeliveryRow, policy: SlaPolicy): Promise<void> {
    const lastDeliveredAt = row.lastDeliveredAt && row.lastDeliveredAt > d.deliveredAt ? row.lastDeliveredAt : d.deliveredAt;
    const changes = { spentIdr: row.spentIdr + (d.amountIdr ?? 0), deliveries: row.deliveries + 1, lastDeliveredAt };
    const payload = { deliveryId: d.id, deliveredAt: d.deliveredAt.toISOString(), quantity: d.quantity, amountIdr: d.amountIdr };
    if (row.state === 'approved') {
      const interventionName = (await this.catalogue.entry(em, row.regencyCode, row.catalogueCode))?.name ?? row.catalogueCode;
      await this.workflow.apply<InterventionEntity>('intervention', row.id, { type: 'DELIVER', payload: { ...payload, interventionName } }, actor, {
        em,
        expectedVersion: row.version,
        changes,
      });
      return;
    }
    const loaded = (await this.lifecycle.load(em, row.id, null))!;
    await this.workflow.record<InterventionEntity>('intervention', loaded, { type: 'DELIVERY', payload }, actor, {
      em,
      changes,
      step: { step: 'delivery', dueAt: this.lifecycle.nextDeliveryDue(row, d.deliveredAt, policy) },
    });
  }
  /** An intervention's delivery log, oldest first. */
  async list(actor: Actor, id: string): Promise<Page<DeliveryView>> {
    const row = await this.repo.findInScope(id, interventionScope(actor));
    if (!row) throw new NotFound('intervention');
    return { items: (await this.repo.deliveries([id])).map(toDeliveryView), nextCursor: null };
  }
}
