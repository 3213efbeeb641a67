/** ISO 8601 to the second, UTC: what the audit log and the CLI print. */
export function isoDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
