// Adds up vitest's JSON reports and prints the closing lines CI reads: the tests that failed,
// by file and name with the first line of their error, then "N passed, N failed, N skipped".
import { readFileSync } from "node:fs";
import { relative } from "node:path";

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    failures.push(`${file}: no report (that run did not finish)`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  const run = file.replace(/^.*vitest-|\.json$/g, "");
  for (const suite of report.testResults ?? []) {
    const where = relative(process.cwd(), suite.name ?? "?");
    const tests = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
    if (suite.status === "failed" && tests.length === 0) {
      failures.push(`[${run}] ${where}: ${firstLine(suite.message)}`);
    }
    for (const test of tests) {
      failures.push(`[${run}] ${where} > ${test.fullName ?? test.title}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
}
if (failures.length > 0) {
  console.log(`\nfailed (${failures.length}):`);
  for (const line of failures) console.log(`  ${line}`);
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);

function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const clean = String(text ?? "").replace(/\u001b\[[0-9;]*m/g, "");
  return (clean.split("\n").find((l) => l.trim() !== "") ?? "(no message)").trim().slice(0, 300);
}
