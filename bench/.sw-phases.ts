import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchWorkerPhases } from './worker-phases.bench';
void benchWorkerPhases(4, mkdtempSync(path.join(os.tmpdir(), 'sw-ph-')), 20000).then((r) => {
  console.log(JSON.stringify(r.microsPerObject, null, 1), JSON.stringify(r.cpuMicrosPerObject));
  process.exit(0);
});
