import { defineConfig } from "vitest/config";

// One suite, two backends: every test file runs once on SQLite and once on
// PostgreSQL (127.0.0.1:5432, database `test`, a schema per test). A
// PostgreSQL that cannot be reached fails the run; only the tests of
// PostgreSQL-only behaviour (test/storage/faults, test/import/workers) are
// skipped on SQLite.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // The process tests run the compiled server, as `npm start` does.
    globalSetup: ["test/helpers/build.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: "sqlite", env: { ASSETPORT_TEST_DB: "sqlite" } } },
      { extends: true, test: { name: "postgres", env: { ASSETPORT_TEST_DB: "postgres" } } },
    ],
  },
});
