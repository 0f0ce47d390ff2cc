// Prints the closing tally of a test run, across every report given, as `N passed, N failed`.
// Reports are Jest's (`--json`) or Playwright's (its `json` reporter); each is recognised by its shape.
// `--failed-steps N` counts steps without a report (the type check) that failed.
// A skipped test is not a pass: skips are counted apart. A report that is missing, or one that ran no test,
// counts as a failure (its tier did not run).
// Exits non-zero when anything failed, or when nothing ran at all (a silent run is not a green one).
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const stepsFlag = args.indexOf('--failed-steps');
if (stepsFlag >= 0) {
  failed += Number(args[stepsFlag + 1]);
  args.splice(stepsFlag, 2);
}

function countJest(report) {
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

// Playwright's stats: `expected` passed, `unexpected` failed, `flaky` passed on a retry; errors outside any
// test (a global setup that threw, a spec file that did not load) are failures too.
function countPlaywright(report) {
  const stats = report.stats ?? {};
  return {
    passed: (stats.expected ?? 0) + (stats.flaky ?? 0),
    failed: (stats.unexpected ?? 0) + (report.errors?.length ?? 0),
    skipped: stats.skipped ?? 0,
  };
}

for (const file of args) {
  const tier = path.basename(file);
  if (!fs.existsSync(file)) {
    console.error(`tally: no report at ${file}: that tier did not run`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const counts =
    'numPassedTests' in report ? countJest(report) : countPlaywright(report);
  if (counts.passed + counts.failed + counts.skipped === 0) {
    console.error(`tally: ${tier} holds no test result: that tier ran nothing`);
    counts.failed += 1;
  }
  // Not in the closing line's form, so that only the last line reads as the run's tally.
  console.log(
    `tally: ${tier} — ${counts.passed} ok, ${counts.failed} not ok, ${counts.skipped} skipped`,
  );
  passed += counts.passed;
  failed += counts.failed;
  skipped += counts.skipped;
}
console.log(
  `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`,
);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
