import { type CaseMachine, caseMachineV1 } from './case.machine.js';

/**
 * Every released version of the case machine. A case keeps the version it was created under
 * until a data migration moves it; never edit a released version in place, add the next one.
 */
export const CASE_MACHINES: Readonly<Record<number, CaseMachine>> = { 1: caseMachineV1 };
export const LATEST_CASE_MACHINE = 1;

export function caseMachine(version: number): CaseMachine {
  const machine = CASE_MACHINES[version];
  if (!machine) throw new Error(`no case machine version ${version}`);
  return machine;
}
