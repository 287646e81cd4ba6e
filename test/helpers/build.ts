import { execFileSync } from "node:child_process";

/** Brings dist/ (the server and the console) up to date once per test run, as `npm run build` does. */
export default function setup(): void {
  execFileSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
}
