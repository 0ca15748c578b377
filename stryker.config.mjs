// Mutation testing of the engine (issue 11): `npm run mutation`. Too slow for CI (see docs/mutation.md for its time),
// so it is not part of tests/run-all.sh. The tap runner runs each engine test file as its own node process (node's
// test runner prints TAP when piped) and, with per-test coverage, only the files that reach a mutant run for it.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "tap",
  tap: {
    testFiles: ["tests/engine/*.test.ts"],
    nodeArgs: ["--import", "tsx", "--test-reporter=tap"],
    forceBail: true,
  },
  coverageAnalysis: "perTest",
  // Globs, not file names: the rules and the engine are being split into sub-folders.
  mutate: ["shared/rules/**/*.ts", "shared/engine/**/*.ts"],
  ignorePatterns: ["dist", "out", ".artifacts", ".azurite", "outbox", ".paie-local", "reports"],
  concurrency: 2,
  timeoutMS: 60_000,
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  cleanTempDir: true,
};
