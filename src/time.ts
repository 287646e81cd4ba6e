/** RFC 3339 in UTC with exactly three fractional digits, as the contract wants. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function formatNullableTime(ms: number | null): string | null {
  return ms === null ? null : formatTime(ms);
}
