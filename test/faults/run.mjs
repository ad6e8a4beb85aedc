// The fault tests, against the PostgreSQL server (the FHIR export's also on the embedded database): npm run test:faults (after npm run build).
import { auditTamper } from './audit-tamper.mjs';
import { databaseStopped } from './database-stopped.mjs';
import { fhirExportKill } from './fhir-export-kill.mjs';
import { killDuringTransitions } from './kill-during-transitions.mjs';
import { sweepCrash } from './sweep-crash.mjs';

const only = process.argv[2];
const faults = { kill: killDuringTransitions, database: databaseStopped, sweep: sweepCrash, audit: auditTamper, fhir: fhirExportKill, 'fhir-embedded': () => fhirExportKill('embedded') };
let failed = 0;
for (const [name, run] of Object.entries(faults)) {
  if (only && only !== name) continue;
  const t = Date.now();
  try {
    await run();
    console.log(`  (${((Date.now() - t) / 1000).toFixed(0)} s)\n`);
  } catch (e) {
    failed += 1;
    console.error(`${name}: ${e.message}\n`);
  }
}
process.exit(failed ? 1 : 0);
