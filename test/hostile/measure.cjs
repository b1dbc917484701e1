// Preloaded into the CLI by the untrusted-input tests: at exit, the process's peak memory (maxRSS, in KB) is
// written to the file named by MEASURE_FILE, the way a CI job's memory limit would see it.
'use strict';
process.on('exit', () => {
  require('node:fs').writeFileSync(process.env.MEASURE_FILE, String(process.resourceUsage().maxRSS));
});
