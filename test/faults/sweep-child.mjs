// One sweep in its own process. With `crash`, the process kills itself after the sweep has
// claimed its first batch (rows locked, escalations computed) and before anything is committed.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../dist/src/app.module.js';
import { EscalationsRepository } from '../../dist/src/modules/escalation/escalations.repository.js';
import { EscalationSweeper } from '../../dist/src/modules/escalation/escalation.sweeper.js';

const mode = process.argv[2];
const ctx = await NestFactory.createApplicationContext(AppModule, { logger: false });
if (mode === 'crash') {
  EscalationsRepository.prototype.insertEscalations = async function () {
    process.kill(process.pid, 'SIGKILL');
    await new Promise(() => undefined);
  };
}
const { fired } = await ctx.get(EscalationSweeper).sweep();
process.stdout.write(`${fired}\n`);
await ctx.close();
