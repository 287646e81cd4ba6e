// A tenant user's role. Each role may do everything the roles before it may.
export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function rankOf(role: string): number {
  // An unknown stored role grants nothing rather than failing every request.
  return (ROLES as readonly string[]).indexOf(role);
}

export function atLeast(role: string, needed: Role): boolean {
  return rankOf(role) >= rankOf(needed);
}

/** The lower of two roles: what an API key may do is bounded by its creator's current role. */
export function lowerRole(a: string, b: string): string {
  return rankOf(a) <= rankOf(b) ? a : b;
}
