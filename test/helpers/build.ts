import { execFileSync } from "node:child_process";

/** Compiles src/ once per test run for the tests that start the real process. */
export default function setup(): void {
  execFileSync("npx", ["tsc", "-p", "tsconfig.build.json"], { stdio: "inherit" });
}
