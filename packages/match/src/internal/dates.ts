/** Day number standing for "no date": older than every real date, so it is never fresh. */
export const NO_DAY = -2_147_483_648;

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days since 1970-01-01 of an ISO date (or date-time; the date part counts), or NO_DAY when unreadable. */
export function dayNumber(date: string | null | undefined): number {
  if (date == null) return NO_DAY;
  const m = ISO_DATE.exec(date);
  if (m === null) return NO_DAY;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(ms) ? NO_DAY : Math.floor(ms / MS_PER_DAY);
}

/**
 * The oldest accepted day for evidence at most `months` calendar months old at `now` (UTC).
 * The day of month is clamped (31 May minus 3 months is 28/29 February), so evidence exactly
 * `months` months old is still fresh.
 */
export function cutoffDay(now: Date, months: number): number {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Math.floor(Date.UTC(year, month, Math.min(now.getUTCDate(), lastDay)) / MS_PER_DAY);
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
