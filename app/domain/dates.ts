/** Dates are stored in UTC and shown/computed in China time (Asia/Shanghai, UTC+8, no DST). */
export const CHINA_TZ = "Asia/Shanghai";

const dateFmt = new Intl.DateTimeFormat("zh-CN", {
  timeZone: CHINA_TZ,
  year: "numeric",
  month: "numeric",
  day: "numeric",
});
const timeFmt = new Intl.DateTimeFormat("zh-CN", {
  timeZone: CHINA_TZ,
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});

function parts(d: Date, fmt: Intl.DateTimeFormat): Record<string, string> {
  return Object.fromEntries(fmt.formatToParts(d).map((p) => [p.type, p.value]));
}

/** 2026年3月12日 */
export function formatDate(input: Date | string): string {
  const p = parts(new Date(input), dateFmt);
  return `${p.year}年${p.month}月${p.day}日`;
}

/** 14:30 */
export function formatTime(input: Date | string): string {
  const p = parts(new Date(input), timeFmt);
  return `${p.hour === "24" ? "00" : p.hour}:${p.minute}`;
}

/** 2026年3月12日 14:30 */
export function formatDateTime(input: Date | string): string {
  return `${formatDate(input)} ${formatTime(input)}`;
}

/** The end of a China calendar day (YYYY-MM-DD) as a UTC instant: 23:59:59.999 +08:00. */
export function endOfChinaDay(isoDate: string): Date {
  return new Date(`${isoDate}T23:59:59.999+08:00`);
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** China time is UTC+8 all year (no daylight saving since 1991): the wall clock is the instant shifted. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

/** The China calendar day of an instant as YYYY-MM-DD. */
export function chinaDay(input: Date | string = new Date()): string {
  return new Date(new Date(input).getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** "2026-03": the China calendar month of an instant. */
export function chinaMonth(input: Date | string): string {
  return chinaDay(input).slice(0, 7);
}

export const DAY_MS = 86_400_000;

/**
 * The one rule of counted days: China calendar days, not elapsed hours. A deadline is the end of
 * its China day, so on that day there are 0 days left (今日到期), the day before 1, and the day after
 * it is 1 day past — whatever the hour. Every "N 天" (剩余, 逾期, 临期) in pages, notifications,
 * exports and the ledger comes from these functions.
 */
export function chinaDaysBetween(from: Date, to: Date): number {
  return Math.round((startOfChinaDay(chinaDay(to)).getTime() - startOfChinaDay(chinaDay(from)).getTime()) / DAY_MS);
}

/** Calendar days from today to the deadline's day: 0 on the day itself, negative once past. */
export function daysLeft(now: Date, due: Date): number {
  return chinaDaysBetween(now, due);
}

/** Calendar days since the deadline's day: 1 the day after it, 0 while not past. */
export function daysPast(due: Date, now: Date): number {
  return Math.max(0, chinaDaysBetween(due, now));
}

/** 今日到期 / 剩余 N 天 / 逾期 N 天 for a deadline, as every page and message words it. */
export function deadlineLabel(now: Date, due: Date): string {
  const left = daysLeft(now, due);
  if (left === 0) return "今日到期";
  return left > 0 ? `剩余 ${left} 天` : `逾期 ${-left} 天`;
}

/** The start of a China calendar day (YYYY-MM-DD) as a UTC instant: 00:00 +08:00. */
export function startOfChinaDay(isoDate: string): Date {
  return new Date(`${isoDate}T00:00:00.000+08:00`);
}

/** true for a real calendar day written YYYY-MM-DD (not 2026-02-30). */
export function isIsoDay(v: string): boolean {
  const m = ISO_DAY.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function toIso(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** YYYY-MM-DD plus n calendar months, the day clamped to the month's end (08-31 + 6 → 02-28/29). */
export function addMonthsIso(isoDate: string, months: number): string {
  const m = ISO_DAY.exec(isoDate);
  if (!m) throw new RangeError(`not a day: ${isoDate}`);
  const first = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return toIso(new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), Math.min(Number(m[3]), last))));
}

/** YYYY-MM-DD plus n days. */
export function addDaysIso(isoDate: string, days: number): string {
  const m = ISO_DAY.exec(isoDate);
  if (!m) throw new RangeError(`not a day: ${isoDate}`);
  return toIso(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days)));
}

/** Monday to Friday. There is no holiday calendar (法定节假日 and 调休 are not known here, ADR 023). */
export function isWorkingDayIso(isoDate: string): boolean {
  const m = ISO_DAY.exec(isoDate);
  if (!m) throw new RangeError(`not a day: ${isoDate}`);
  const weekday = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * YYYY-MM-DD plus n working days (Monday to Friday): the day itself does not count, so a deadline of
 * five working days from a Friday — or from the Saturday after it — is the next Friday.
 */
export function addWorkingDaysIso(isoDate: string, days: number): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`not a number of working days: ${days}`);
  let day = isoDate;
  for (let left = days; left > 0;) {
    day = addDaysIso(day, 1);
    if (isWorkingDayIso(day)) left--;
  }
  return day;
}
