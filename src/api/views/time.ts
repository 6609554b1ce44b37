/**
 * A time as Ironic's API writes it: ISO 8601 with an explicit UTC offset
 * (`2026-11-25T03:45:42.123+00:00`), which Python and Go clients parse.
 */
export function apiTime(date: Date): string;
export function apiTime(date: Date | null): string | null;
export function apiTime(date: Date | null): string | null {
  return date === null ? null : date.toISOString().replace(/Z$/, '+00:00');
}
