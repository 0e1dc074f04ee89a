// Preloaded by test/e2e/cli-offline-modules.test.ts (node --require): when the process exits, writes the file of
// every CommonJS module it loaded, one a line, to the file named by LOADED_MODULES_OUT.
'use strict';
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const out = process.env.LOADED_MODULES_OUT;
  if (out) writeFileSync(out, `${Object.keys(require.cache).join('\n')}\n`);
});
