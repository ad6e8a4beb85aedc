import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh directory for this run's log lines (see keepForHygieneCheck in test-app.ts). */
export default function globalSetup(): void {
  process.env.TUNTAS_TEST_LOG_DIR = mkdtempSync(join(tmpdir(), 'tuntas-test-logs-'));
}
