import { defineConfig } from "vitest/config";

// One suite, two backends: every test file runs once on SQLite and once on
// PostgreSQL (127.0.0.1:5432, database `test`, a schema per test). A
// PostgreSQL that cannot be reached fails the run; only the tests of
// PostgreSQL-only behaviour (test/storage/faults, test/import/workers) are
// skipped on SQLite. The console's browser tests run once, on SQLite, one
// file at a time: one Chromium at a time is what this machine's two cores
// can drive without timing out.
export default defineConfig({
  test: {
    // The process tests run the compiled server, as `npm start` does; the browser tests load the built console.
    globalSetup: ["test/helpers/build.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: ["test/console/**"], env: { ASSETPORT_TEST_DB: "sqlite" } } },
      { extends: true, test: { name: "postgres", include: ["test/**/*.test.ts"], exclude: ["test/console/**"], env: { ASSETPORT_TEST_DB: "postgres" } } },
      // A page re-renders when it will: what a test waits to see gets up to 10 s on a busy machine. Closing
      // Chromium and the service once took over a minute with both other projects running beside it.
      {
        extends: true,
        test: { name: "console", include: ["test/console/**/*.test.ts"], fileParallelism: false, hookTimeout: 120_000, expect: { poll: { timeout: 10_000 } }, env: { ASSETPORT_TEST_DB: "sqlite" } },
      },
    ],
  },
});
