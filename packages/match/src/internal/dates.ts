/** Day number standing for "no date": older than every real date, so it is never fresh. */
export const NO_DAY = -2_147_483_648;

const MS_PER_DAY = 86_400_000;

/**
 * Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil): pure
 * arithmetic, no Date object, because the ranking index converts every skill's date.
 */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Digits at `from`..`from+length` as a number, or -1 when any is not a digit. */
function digits(s: string, from: number, length: number): number {
  let value = 0;
  for (let i = from; i < from + length; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}

/**
 * Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (a longer date-time counts by its date
 * part), or NO_DAY when absent or not a real calendar day.
 */
export function dayNumber(date: string | null | undefined): number {
  if (date == null || date.length < 10 || date.charCodeAt(4) !== 45 || date.charCodeAt(7) !== 45)
    return NO_DAY;
  const year = digits(date, 0, 4);
  const month = digits(date, 5, 2);
  const day = digits(date, 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NO_DAY;
  return daysFromCivil(year, month, day);
}

/**
 * The oldest accepted day for evidence at most `months` calendar months old at `now` (UTC).
 * The day of month is clamped (31 May minus 3 months is 28/29 February), so evidence exactly
 * `months` months old is still fresh.
 */
export function cutoffDay(now: Date, months: number): number {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - months;
  const year = Math.floor(total / 12);
  const month = total - year * 12 + 1;
  return daysFromCivil(year, month, Math.min(now.getUTCDate(), daysInMonth(year, month)));
}

/** The ISO date (YYYY-MM-DD) of a day number. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}
