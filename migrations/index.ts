import { Foundation1763900000000 } from './1763900000000-foundation.js';
import { Cases1763990000000 } from './1763990000000-cases.js';
import { Measurements1764000000000 } from './1764000000000-measurements.js';
import { Imports1764010000000 } from './1764010000000-imports.js';
import { ImportIndexes1764020000000 } from './1764020000000-import-indexes.js';
import { Escalation1764030000000 } from './1764030000000-escalation.js';
import { Interventions1764040000000 } from './1764040000000-interventions.js';
import { Audit1764050000000 } from './1764050000000-audit.js';
import { RealDistrictData1764100000000 } from './1764100000000-real-district-data.js';
import { Security1764110000000 } from './1764110000000-security.js';
import { Prevention1764200000000 } from './1764200000000-prevention.js';
import { FhirExport1764120000000 } from './1764120000000-fhir-export.js';
import { WorkflowKernel1764300000000 } from './1764300000000-workflow-kernel.js';
import { EarlyWarning1764310000000 } from './1764310000000-early-warning.js';
import { Referrals1764320000000 } from './1764320000000-referrals.js';
import { Convergence1764400000000 } from './1764400000000-convergence.js';
import { Prevalence1764410000000 } from './1764410000000-prevalence.js';
import { Lokus1764420000000 } from './1764420000000-lokus.js';
import { ProvinceScope1764430000000 } from './1764430000000-province-scope.js';
import { Ansit1764510000000 } from './1764510000000-ansit.js';
import { AksiScores1764520000000 } from './1764520000000-aksi-scores.js';
import { Aksi1764500000000 } from './1764500000000-aksi.js';
import { PrevalenceNetDeltas1764540000000 } from './1764540000000-prevalence-net-deltas.js';
import { TimePartitions1764530000000 } from './1764530000000-time-partitions.js';

/** Every migration, in order. Listed explicitly so the same list runs under tsc and ts-jest. */
export const migrations = [
  Foundation1763900000000,
  Cases1763990000000,
  Measurements1764000000000,
  Imports1764010000000,
  ImportIndexes1764020000000,
  Escalation1764030000000,
  Interventions1764040000000,
  Audit1764050000000,
  RealDistrictData1764100000000,
  Security1764110000000,
  FhirExport1764120000000,
  Prevention1764200000000,
  WorkflowKernel1764300000000,
  EarlyWarning1764310000000,
  Referrals1764320000000,
  Convergence1764400000000,
  Prevalence1764410000000,
  Lokus1764420000000,
  ProvinceScope1764430000000,
  Aksi1764500000000,
  Ansit1764510000000,
  AksiScores1764520000000,
  TimePartitions1764530000000,
  PrevalenceNetDeltas1764540000000,
];
