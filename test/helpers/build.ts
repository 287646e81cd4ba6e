import { execFileSync } from "node:child_process";

/** Brings dist/ up to date once per test run for the tests that start the real process. */
export default function setup(): void {
  execFileSync("npx", ["tsc", "-b", "tsconfig.build.json"], { stdio: "inherit" });
}
