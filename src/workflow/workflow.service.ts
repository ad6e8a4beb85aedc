import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DataSource, type EntityManager } from 'typeorm';
import { initialTransition, transition } from 'xstate';
import { CLOCK, type Clock } from '../common/clock/clock.js';
import { DomainError, Forbidden, NotFound, VersionConflict } from '../common/errors/domain-error.js';
import type { SlaPolicy } from '../modules/escalation/policy.js';
import type { Actor } from '../modules/identity/actor.js';
import {
  type AggregateType,
  type Cause,
  type Command,
  type HistoryEntry,
  Lifecycle,
  type LifecycleDefinition,
  type LifecycleRow,
  type Loaded,
  type Move,
  type NewAggregate,
  type StepOpen,
  type StepParties,
  type Transition,
} from './lifecycle.js';
import { eventsOf, persist, type PersistedSnapshot, restore } from './snapshot.js';
import type { DueStep, StepDeadline } from './step-deadlines.repository.js';
import { StepDeadlinesService } from './step-deadlines.service.js';
import { type StepWrite, WorkflowRepository } from './workflow.repository.js';

export interface ApplyOptions<R> {
  /** The caller's transaction: the move becomes part of it (another aggregate's effect, a delivery). */
  em?: EntityManager;
  /** The version the client last saw (If-Match); a move from any other is refused with the real one. */
  expectedVersion?: number;
  /** Set when this is the effect of another event: no role check, unscoped, and recorded with the entry. */
  cause?: Cause;
  /** Values of the row's own columns the caller computed (a delivery's totals). */
  changes?: Partial<R>;
}

export interface Applied<R> {
  row: R;
  loaded: Loaded<R>;
  from: string;
  payload: Record<string, unknown>;
  /** Of the step the aggregate is in now: 0 for one just entered, as it was for one kept. */
  escalationLevel: number;
}

type AnyDefinition = LifecycleDefinition<LifecycleRow>;

/**
 * The one kernel of every lifecycle (cases, OPD tasks, interventions...). A command is read,
 * restored, checked (role, the machine's events, the guard with its reason), moved with XState's
 * pure transition(), refused when nothing moved, written in one optimistic statement with its
 * history entry and step, and followed by the effects its definition declares, in the same
 * transaction. A refused command writes nothing.
 */
@Injectable()
export class WorkflowService implements OnModuleInit {
  private readonly definitions = new Map<AggregateType, AnyDefinition>();

  constructor(
    private readonly ds: DataSource,
    private readonly repo: WorkflowRepository,
    private readonly steps: StepDeadlinesService,
    private readonly discovery: DiscoveryService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders({ metadataKey: Lifecycle.KEY })) {
      const def = wrapper.instance as AnyDefinition | undefined;
      if (def) this.definitions.set(def.type, def);
    }
    // Every declared effect names a reaction that exists: a typo fails at start, not in a transition.
    for (const def of this.definitions.values()) {
      for (const [event, names] of Object.entries(def.effects ?? {})) {
        for (const name of names) {
          if (!this.reaction(name)) throw new Error(`${def.type} ${event} declares the effect ${name}, which no lifecycle defines`);
        }
      }
    }
  }

  /** For tests and tools that build the kernel without Nest's discovery. */
  define(def: AnyDefinition): void {
    this.definitions.set(def.type, def);
  }

  definition<R extends LifecycleRow>(type: AggregateType): LifecycleDefinition<R> {
    const def = this.definitions.get(type);
    if (!def) throw new Error(`no lifecycle ${type}`);
    return def as unknown as LifecycleDefinition<R>;
  }

  async apply<R extends LifecycleRow>(type: AggregateType, id: string, command: Command, actor: Actor, opts: ApplyOptions<R> = {}): Promise<Applied<R>> {
    const def = this.definition<R>(type);
    if (!opts.em && ((def.effects?.[command.type]?.length ?? 0) > 0 || def.transactional?.(command))) {
      return this.ds.transaction((em) => this.apply(type, id, command, actor, { ...opts, em }));
    }
    const em = opts.em ?? this.ds.manager;
    // An effect of another event is the system's act, not a role's.
    if (!opts.cause && !def.eventRoles[command.type]?.includes(actor.role)) {
      throw new Forbidden(`the role ${actor.role} may not send ${command.type}`);
    }
    const found = await def.load(em, id, opts.cause ? null : actor);
    if (!found) throw new NotFound(def.noun);
    // The caller's own column values count for the hooks too (a delivery's totals, a moved village).
    const loaded = opts.changes ? { ...found, row: { ...found.row, ...opts.changes } } : found;
    const row = loaded.row;
    if (opts.expectedVersion !== undefined && row.version !== opts.expectedVersion) throw new VersionConflict(def.noun, opts.expectedVersion, row.version);
    const machine = def.machine(row.machineVersion);
    const snapshot = restore(machine, row.snapshot);
    if (!eventsOf(snapshot).includes(command.type)) {
      throw new DomainError('INVALID_TRANSITION', `${command.type} is not possible while the ${def.noun} is ${row.state}`, {
        state: row.state,
        allowedEvents: this.allowedEvents(def, actor, row),
      });
    }
    const now = this.clock.now();
    const move: Move<R> = { em, actor, loaded, row, command, now, cause: opts.cause };
    const payload = def.complete ? await def.complete(move) : { ...command.payload };
    const event = { ...payload, type: command.type, at: now.toISOString() };
    const problem = def.guardProblem?.(command.type, snapshot.context, event);
    if (problem) throw new DomainError('GUARD_FAILED', problem, { event: command.type, reason: problem });
    let [next] = transition(machine, snapshot, event as never);
    if (next === snapshot) throw new DomainError('GUARD_FAILED', `${command.type} was refused by the lifecycle`, { event: command.type });
    let entryPayload = payload;
    const settled = def.settle?.(move, next.value as string, next.context);
    if (settled) {
      [next] = transition(machine, next, { ...settled, at: event.at } as never);
      entryPayload = { ...payload, settled };
    }
    const stored = persist(next);
    const to = stored.value;
    const step = def.stepOf(move, to, stored.context);
    const updated = {
      ...row,
      ...def.changes?.(move, to, stored.context),
      ...opts.changes,
      state: to,
      snapshot: stored,
      stepDueAt: step?.dueAt ?? null,
      updatedAt: now,
      version: row.version + 1,
    } as R;
    const escalationLevel = await this.write(em, def, loaded, updated, { type: command.type, from: row.state, payload: entryPayload, actor, at: now, cause: opts.cause }, step);
    const done: Applied<R> = { row: updated, loaded, from: row.state, payload, escalationLevel };
    await this.dispatch(def, { em, actor, type, event: command.type, from: row.state, to, payload, row: updated, loaded, at: now });
    return done;
  }

  /**
   * Records an entry that moves no state (a reassignment, a later delivery): the same optimistic
   * write, history entry and step as a transition.
   */
  async record<R extends LifecycleRow>(
    type: AggregateType,
    loaded: Loaded<R>,
    entry: { type: string; payload: Record<string, unknown> },
    actor: Actor,
    opts: { em: EntityManager; changes?: Partial<R>; step?: StepOpen | null; cause?: Cause },
  ): Promise<R> {
    const def = this.definition<R>(type);
    if (!def.records?.includes(entry.type)) throw new Error(`${entry.type} is not a record of ${type}`);
    const now = this.clock.now();
    const row = loaded.row;
    const step = opts.step === undefined ? (row.stepDueAt ? { step: '', dueAt: row.stepDueAt, keep: true } : null) : opts.step;
    const updated = { ...row, ...opts.changes, stepDueAt: step?.dueAt ?? null, updatedAt: now, version: row.version + 1 } as R;
    await this.write(opts.em, def, loaded, updated, { type: entry.type, from: row.state, payload: entry.payload, actor, at: now, cause: opts.cause }, step);
    return updated;
  }

  /** Creates aggregates in their first state, singly or in bulk (the import path): rows, first entries and steps. */
  async start<R extends LifecycleRow>(type: AggregateType, em: EntityManager, actor: Actor, items: NewAggregate<R>[], opts: { cause?: Cause; at?: Date } = {}): Promise<R[]> {
    if (!items.length) return [];
    const def = this.definition<R>(type);
    // The moment the rows were made for (their machine input): their first entries carry the same.
    const now = opts.at ?? this.clock.now();
    const rows: R[] = [];
    const steps: StepDeadline[] = [];
    const policies = new Map<string, SlaPolicy>();
    for (const item of items) {
      const machine = def.machine(def.latestMachine);
      let [snapshot] = initialTransition(machine, item.input);
      const first = persist(snapshot);
      const draft = { ...item.row, state: first.value, machineVersion: def.latestMachine, snapshot: first, version: 1, stepDueAt: null } as unknown as R;
      const loaded: Loaded<R> = { row: draft, policy: item.policy, villageCode: item.villageCode, opdId: item.opdId };
      const move: Move<R> = { em, actor, loaded, row: draft, command: { type: item.entry.type, payload: item.entry.payload }, now, cause: opts.cause };
      const settled = def.settle?.(move, first.value, first.context);
      if (settled) {
        [snapshot] = transition(machine, snapshot, { ...settled, at: now.toISOString() } as never);
        item.entry.payload = { ...item.entry.payload, settled };
      }
      const stored = persist(snapshot);
      draft.state = stored.value;
      draft.snapshot = stored as R['snapshot'];
      const step = def.stepOf(move, stored.value, stored.context);
      const row = { ...draft, ...def.changes?.(move, stored.value, stored.context), stepDueAt: step?.dueAt ?? null } as R;
      rows.push(row);
      policies.set(item.policy.regencyCode, item.policy);
      if (step) steps.push(this.stepDeadline(def, loaded, row, step, 1, now));
    }
    await def.insert(em, rows);
    await this.repo.appendFirst(
      em,
      def as unknown as LifecycleDefinition<never>,
      rows.map((row, i) => ({
        aggregateId: row.id,
        regencyCode: row.regencyCode,
        seq: 1,
        type: items[i].entry.type,
        fromState: null,
        toState: row.state,
        payload: items[i].entry.payload,
        actorId: actor.userId,
        actorRole: actor.role,
        machineVersion: row.machineVersion,
        at: now,
        cause: items[i].cause ?? opts.cause ?? null,
      })),
    );
    await this.steps.enter(em, steps, policies);
    return rows;
  }

  /** The events `actor` may send now: the machine's, less the system's and those the role may not send. */
  allowedEvents<R extends LifecycleRow>(def: LifecycleDefinition<R> | AggregateType, actor: Actor, row: R): string[] {
    const d = typeof def === 'string' ? this.definition<R>(def) : def;
    const snapshot = restore(d.machine(row.machineVersion), row.snapshot);
    return eventsOf(snapshot).filter((t) => !d.internalEvents?.includes(t) && d.eventRoles[t]?.includes(actor.role));
  }

  history(type: AggregateType, id: string, em: EntityManager = this.ds.manager): Promise<HistoryEntry[]> {
    return this.repo.history(em, this.definition(type) as unknown as LifecycleDefinition<never>, id);
  }

  /** The fold of a history through the machine versions it was recorded under: the stored snapshot must equal it. */
  replay(type: AggregateType, history: Pick<HistoryEntry, 'seq' | 'type' | 'payload' | 'at' | 'machineVersion'>[]): PersistedSnapshot {
    return replayHistory(this.definition(type), history);
  }

  /** Each step's current deadline and escalation level. */
  currentSteps(em: EntityManager, type: AggregateType, ids: string[]) {
    return this.steps.current(em, type, ids);
  }

  /** Who answers for each due step, keyed `type:id`, as each lifecycle says. */
  async partiesOf(em: EntityManager, due: DueStep[]): Promise<Map<string, StepParties>> {
    const out = new Map<string, StepParties>();
    for (const [type, def] of this.definitions) {
      const mine = due.filter((s) => s.aggregateType === type);
      if (!mine.length) continue;
      for (const [id, parties] of await def.parties(em, mine)) out.set(`${type}:${id}`, parties);
    }
    return out;
  }

  private async write<R extends LifecycleRow>(
    em: EntityManager,
    def: LifecycleDefinition<R>,
    loaded: Loaded<R>,
    updated: R,
    e: { type: string; from: string; payload: Record<string, unknown>; actor: Actor; at: Date; cause?: Cause },
    step: StepOpen | null,
  ): Promise<number> {
    const row = loaded.row;
    let stepWrite: StepWrite;
    if (!step) stepWrite = { leave: true };
    else if (step.keep) stepWrite = { keep: true };
    else stepWrite = { enter: this.steps.rowFor(this.stepDeadline(def, loaded, updated, step, updated.version, e.at), loaded.policy) };
    const written = await this.repo.move(em, def as unknown as LifecycleDefinition<never>, {
      id: row.id,
      version: row.version,
      state: updated.state,
      snapshot: updated.snapshot,
      stepDueAt: updated.stepDueAt,
      updatedAt: updated.updatedAt,
      own: (def.columns ?? []).map((c) => updated[c.prop]),
      entry: { type: e.type, fromState: e.from, toState: updated.state, payload: e.payload, actorId: e.actor.userId, actorRole: e.actor.role, at: e.at, cause: e.cause ?? null },
      step: stepWrite,
    });
    if (!written) {
      const current = await this.repo.versionOf(em, def as unknown as LifecycleDefinition<never>, row.id);
      throw new VersionConflict(def.noun, row.version, current ?? row.version);
    }
    return written.escalationLevel;
  }

  private stepDeadline<R extends LifecycleRow>(def: LifecycleDefinition<R>, loaded: Loaded<R>, row: R, step: StepOpen, seq: number, at: Date): StepDeadline {
    return {
      aggregateType: def.type,
      aggregateId: row.id,
      regencyCode: row.regencyCode,
      villageCode: step.villageCode ?? loaded.villageCode,
      opdId: loaded.opdId,
      step: step.step,
      stepSeq: seq,
      enteredAt: at,
      dueAt: step.dueAt,
    };
  }

  private async dispatch<R extends LifecycleRow>(def: LifecycleDefinition<R>, t: Transition<R>): Promise<void> {
    for (const name of def.effects?.[t.event] ?? []) await this.reaction(name)!(t as Transition<never>);
  }

  private reaction(name: string) {
    const [type, reaction] = name.split(':') as [AggregateType, string];
    return this.definitions.get(type)?.reactions?.[reaction];
  }
}

/** Folds a history through its machine versions (the first entry starts it, records are skipped). */
export function replayHistory(
  def: Pick<LifecycleDefinition, 'machine' | 'inputOf' | 'records'>,
  history: Pick<HistoryEntry, 'seq' | 'type' | 'payload' | 'at' | 'machineVersion'>[],
): PersistedSnapshot {
  const [first, ...rest] = history;
  if (!first) throw new Error('a history starts with its first entry');
  const at = (e: { at: Date }) => new Date(e.at).toISOString();
  const settle = (s: typeof snapshot, e: (typeof history)[number]) => {
    const settled = e.payload.settled as Record<string, unknown> | undefined;
    return settled ? transition(def.machine(e.machineVersion), s, { ...settled, at: at(e) } as never)[0] : s;
  };
  let [snapshot] = initialTransition(def.machine(first.machineVersion), def.inputOf(first as HistoryEntry));
  snapshot = settle(snapshot, first);
  for (const entry of rest) {
    if (def.records?.includes(entry.type)) continue;
    const payload = { ...entry.payload };
    delete payload.settled;
    const [next] = transition(def.machine(entry.machineVersion), snapshot, { ...payload, type: entry.type, at: at(entry) } as never);
    if (next === snapshot) throw new Error(`history entry ${entry.seq} (${entry.type}) does not apply`);
    snapshot = settle(next, entry);
  }
  return persist(snapshot);
}
