// Prints the closing tally of a test run, across every Jest report given, as `N passed, N failed`.
// `--failed-steps N` counts steps without a report (the type check) that failed.
// Exits non-zero when anything failed, or when nothing ran at all (a silent run is not a green one).
const fs = require('fs');

const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const stepsFlag = args.indexOf('--failed-steps');
if (stepsFlag >= 0) {
  failed += Number(args[stepsFlag + 1]);
  args.splice(stepsFlag, 2);
}
for (const file of args) {
  if (!fs.existsSync(file)) {
    console.error(`tally: no report at ${file}: that tier did not run`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
