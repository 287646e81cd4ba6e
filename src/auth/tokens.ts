import { createHash, randomBytes } from "node:crypto";

/** API keys are told apart from session tokens by this prefix, so each token needs one lookup. */
export const API_KEY_PREFIX = "apk_";

/** 256 random bits; only its SHA-256 is stored, so a database leak yields no usable token. */
export function generateToken(): string {
  return randomBytes(32).toString("base64url");
}

export function generateApiKey(): string {
  return API_KEY_PREFIX + generateToken();
}

/**
 * Tokens are found by the SHA-256 of what the client sent, an indexed
 * equality on a digest: comparing hashes leaks nothing usable about the
 * secret through timing, unlike comparing secrets byte by byte.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
