import { clientKey } from "../http/client-address.js";

/**
 * Failed logins (and failed checks of the current password when changing it), counted per username and client address together and per
 * client address alone, in a sliding window. A username alone is not a key:
 * anyone could then lock a user out by failing logins under their name.
 * Counts live in this process (a restart forgets them); the window is short
 * enough that this costs an attacker little.
 */
export interface LoginThrottleSettings {
  maxFailures: number;
  maxFailuresPerAddress: number;
  windowMs: number;
}

// Bounds memory under a flood of distinct usernames: the oldest keys go first.
const MAX_KEYS = 100_000;

export function createLoginThrottle(settings: LoginThrottleSettings) {
  const failures = new Map<string, number[]>();
  const keys = (username: string, ip: string) => {
    const address = clientKey(ip);
    return [
      { key: `user\u0000${username.normalize("NFC").toLowerCase()}\u0000${address}`, max: settings.maxFailures },
      { key: `address\u0000${address}`, max: settings.maxFailuresPerAddress },
    ];
  };
  const recent = (key: string, now: number) => {
    const times = failures.get(key)?.filter((t) => t > now - settings.windowMs) ?? [];
    if (times.length === 0) failures.delete(key);
    else failures.set(key, times);
    return times;
  };

  return {
    /** Seconds to wait before another attempt, or 0 when one may be made now. */
    retryAfter(username: string, address: string, now: number): number {
      let wait = 0;
      for (const { key, max } of keys(username, address)) {
        const times = recent(key, now);
        // Allowed again once enough failures have left the window.
        if (times.length >= max) wait = Math.max(wait, times[times.length - max]! + settings.windowMs - now);
      }
      return Math.ceil(wait / 1000);
    },

    /** Counts a failure; true when it is the one that starts a lockout (worth recording once). */
    failed(username: string, address: string, now: number): boolean {
      let locks = false;
      for (const { key, max } of keys(username, address)) {
        const times = [...recent(key, now), now];
        failures.delete(key);
        failures.set(key, times);
        if (times.length === max) locks = true;
      }
      while (failures.size > MAX_KEYS) failures.delete(failures.keys().next().value!);
      return locks;
    },

    succeeded(username: string, address: string): void {
      failures.delete(keys(username, address)[0]!.key);
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
