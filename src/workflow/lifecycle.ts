import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { AnyStateMachine } from 'xstate';
import type { SlaPolicy } from '../modules/escalation/policy.js';
import type { Actor } from '../modules/identity/actor.js';
import type { Role } from '../modules/identity/role.js';
import type { PersistedSnapshot } from './snapshot.js';

export type AggregateType = 'case' | 'task' | 'intervention' | 'accompaniment' | 'aksi_document';

/** An open step of a lifecycle and its deadline. */
export interface StepDeadline {
  aggregateType: AggregateType;
  aggregateId: string;
  regencyCode: string;
  villageCode: string | null;
  opdId: string | null;
  step: string;
  /** The history entry that entered the step: a step re-entered later is a new step. */
  stepSeq: number;
  enteredAt: Date;
  dueAt: Date;
}

export interface DueStep extends StepDeadline {
  lastLevel: number;
  nextRung: number;
  nextRungAt: Date;
}

/** The columns every lifecycle table has; a definition's row type adds its own. */
export interface LifecycleRow<S extends string = string, C = unknown> {
  id: string;
  regencyCode: string;
  state: S;
  machineVersion: number;
  snapshot: PersistedSnapshot<C>;
  version: number;
  stepDueAt: Date | null;
  updatedAt: Date;
}

/** What set a transition off when it is the effect of another aggregate's event (or of a reading). */
export interface Cause {
  aggregate: AggregateType | 'measurement' | 'visit' | 'family';
  id: string;
  event: string;
}

export interface Command {
  type: string;
  payload: Record<string, unknown>;
}

/** A row read for a command, and what a move needs beside it. */
export interface Loaded<R> {
  row: R;
  policy: SlaPolicy;
  /** Where the step is, for the deadline row (the sweep's recipients and the overdue views). */
  villageCode: string | null;
  opdId: string | null;
  /** Whatever else the definition read in the same query, for its service's answer. */
  extra?: unknown;
}

/** One command in flight, as the definition's hooks see it. */
export interface Move<R> {
  em: EntityManager;
  actor: Actor;
  loaded: Loaded<R>;
  row: R;
  command: Command;
  now: Date;
  cause?: Cause;
}

/** The step a state opens and when it is due. `keep`: the same step goes on (its escalation progress stays). */
export interface StepOpen {
  step: string;
  dueAt: Date;
  keep?: boolean;
  /** Where the step is, when the move changed it (the loaded row's village otherwise). */
  villageCode?: string;
}

/** A transition as effects see it, after it is written, in its transaction. */
export interface Transition<R = LifecycleRow> {
  em: EntityManager;
  actor: Actor;
  type: AggregateType;
  event: string;
  from: string;
  to: string;
  payload: Record<string, unknown>;
  row: R;
  loaded: Loaded<R>;
  at: Date;
}

/** Who answers for a step, as its own lifecycle sees it. */
export interface StepParties {
  caseId: string | null;
  /** What the step is, without personal data: it goes to webhooks and e-mail. */
  title: string;
  /** Users the rule `assignee` reaches. */
  assignees: string[];
  /** Users the rule `supervisor` reaches; when none, the AKS team chair. */
  supervisors: string[];
  /** Users a lifecycle's own rules reach (a due visit's TPK member, coordinator, PKB, DP2KB). */
  byRule?: Partial<Record<string, string[]>>;
}

/** A reaction of this lifecycle to another's transition, run by the kernel in that transition's transaction. */
export type Reaction = (t: Transition<never>) => Promise<void>;

/** A new aggregate for `WorkflowService.start`: its row without the lifecycle columns the kernel fills. */
export interface NewAggregate<R extends LifecycleRow> {
  row: Omit<R, 'state' | 'machineVersion' | 'snapshot' | 'version' | 'stepDueAt'>;
  /** The machine's input. */
  input: Record<string, unknown>;
  /** The first history entry's type and payload. */
  entry: { type: string; payload: Record<string, unknown> };
  policy: SlaPolicy;
  villageCode: string | null;
  opdId: string | null;
  /** What set this one off, when it differs within a batch (each referral's reading). */
  cause?: Cause;
}

/**
 * A lifecycle, as data and hooks: everything the kernel needs to read, check, move, record,
 * schedule and escalate an aggregate, and which other lifecycles react to its events. The
 * eight steps themselves live once, in WorkflowService.
 */
export interface LifecycleDefinition<R extends LifecycleRow = LifecycleRow> {
  type: AggregateType;
  /** How errors name it ("case", "task"). */
  noun: string;
  /** Every released machine version; a row keeps the one it was created under. */
  machine(version: number): AnyStateMachine;
  latestMachine: number;
  /** The aggregate's table, its history table and the history's key column. */
  table: string;
  history: string;
  historyKey: string;
  /** The row's own columns a move may write, beyond state, snapshot, version, step_due_at and updated_at. */
  columns?: readonly { prop: keyof R & string; column: string }[];
  /** Who may send each event; the machine decides when. An event no role may send is the system's. */
  eventRoles: Readonly<Record<string, readonly Role[]>>;
  /** States the aggregate no longer moves out of by itself. */
  finished: readonly string[];
  /** History entries that record something without moving the machine (a reassignment, a later delivery). */
  records?: readonly string[];
  /** Reads the row (within the actor's scope; null: the system's, unscoped) with its policy. */
  load(em: EntityManager, id: string, actor: Actor | null): Promise<Loaded<R> | null>;
  /** Inserts new rows (the kernel writes their history and steps). */
  insert(em: EntityManager, rows: R[]): Promise<void>;
  /** The machine input of a replay, from the first history entry. */
  inputOf(first: HistoryEntry): Record<string, unknown>;
  /** Checks that need the database, and what the event carries beyond the client's payload. */
  complete?(m: Move<R>): Promise<Record<string, unknown>>;
  /** The guard behind an event, with its reason in words: the machine only says no. */
  guardProblem?(type: string, context: unknown, event: Record<string, unknown>): string | null;
  /** Whether a command needs a transaction even without effects (it writes another table in complete()). */
  transactional?(command: Command): boolean;
  /** The step a state opens; null: none (finished, paused). */
  stepOf(m: Move<R>, to: string, context: unknown): StepOpen | null;
  /**
   * An event the lifecycle sends itself at once after a move (or at its start), recorded in the
   * same entry as `settled`: an accompaniment that owes no more visits closes.
   */
  settle?(m: Move<R>, to: string, context: unknown): Record<string, unknown> & { type: string } | null;
  /** The row's own column values after a move. */
  changes?(m: Move<R>, to: string, context: unknown): Partial<R>;
  /** Reactions of other lifecycles to this one's events, by name (`task:cancel-open`), in the order they run. */
  effects?: Readonly<Record<string, readonly `${AggregateType}:${string}`[]>>;
  /** This lifecycle's reactions, by the name other definitions' effects use. */
  reactions?: Readonly<Record<string, Reaction>>;
  /** Events never offered to a user (sent by the kernel's callers as effects). */
  internalEvents?: readonly string[];
  /** Who answers for overdue steps, for the escalation sweep. */
  parties(em: EntityManager, steps: DueStep[]): Promise<Map<string, StepParties>>;
}

export interface HistoryEntry {
  seq: number;
  type: string;
  fromState: string | null;
  toState: string;
  payload: Record<string, unknown>;
  actorId: string | null;
  actorRole: string | null;
  machineVersion: number;
  at: Date;
  cause: Cause | null;
}

/** Marks a provider as a lifecycle definition: the kernel finds every one at start. */
export const Lifecycle = DiscoveryService.createDecorator<Record<string, never>>();

export function isFinished(def: Pick<LifecycleDefinition, 'finished'>, state: string): boolean {
  return def.finished.includes(state);
}
