import type { Logger } from '@nestjs/common';
import type { SchedulerRegistry } from '@nestjs/schedule';

/**
 * Runs `task` every `seconds` (0: never) under `name` in Nest's scheduler registry, so shutdown
 * clears it. A failure is logged by its kind only (a message can carry data) and the next tick
 * tries again; the timer never keeps the process alive. `now` also runs it once at start.
 */
export function repeatEvery(
  scheduler: SchedulerRegistry,
  name: string,
  seconds: number,
  task: () => Promise<unknown>,
  failure: { logger: Logger; message: string },
  options: { now?: boolean } = {},
): void {
  if (!seconds) return;
  const tick = () => {
    task().catch((e: unknown) => failure.logger.error({ kind: (e as Error)?.constructor?.name }, failure.message));
  };
  if (options.now) tick();
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  scheduler.addInterval(name, timer);
}
