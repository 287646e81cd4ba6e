import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  output: () => string;
  /** Resolves with the output once it matches (stdout and stderr arrive in no fixed order). */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<number | string>;
  kill(signal: NodeJS.Signals): Promise<number | string>;
}

/**
 * Starts the service as a real process and resolves once it listens. PORT=0
 * lets the OS pick a port; it is read from the "Server listening" log line.
 */
const running = new Set<ChildProcess>();

/** Kills every server a test file started and did not stop (call in afterAll). */
export function killAllServers(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  }
  running.clear();
}

/** Starts the service and resolves once it has finished starting ("service ready"). */
export async function startServer(env: Record<string, string>, command: string[] = ["node", "dist/server.js"]): Promise<ServerProcess> {
  return spawnServer(env, command, '"msg":"service ready"');
}

/**
 * Starts the service and resolves as soon as its output holds `until`: with
 * "Server listening", the moment it takes connections, before it may be ready.
 */
export async function spawnServer(env: Record<string, string>, command: string[], until: string): Promise<ServerProcess> {
  const child = spawn(command[0]!, command.slice(1), {
    // LOG_LEVEL info: the "Server listening" line is how the port is learnt.
    env: { ...process.env, PORT: "0", ...env, LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so that `npm start` and its node child die together.
    detached: true,
  });
  running.add(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);

  // Ready once start-up has finished (listening, admin created, worker running).
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (output.includes(until)) {
        clearTimeout(timer);
        resolve(match?.[1] ?? "");
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });

  return {
    child,
    baseUrl,
    output: () => output,
    async waitForOutput(pattern, timeoutMs = 10_000) {
      for (const deadline = Date.now() + timeoutMs; !pattern.test(output); ) {
        if (Date.now() > deadline) throw new Error(`output never matched ${pattern}:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return output;
    },
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, signal);
      return exited;
    },
  };
}

export async function httpLogin(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v4/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
