/** Dates are stored in UTC and shown/computed in China time (Asia/Shanghai, UTC+8, no DST). */
export const CHINA_TZ = "Asia/Shanghai";

const dateFmt = new Intl.DateTimeFormat("zh-CN", { timeZone: CHINA_TZ, year: "numeric", month: "numeric", day: "numeric" });
const timeFmt = new Intl.DateTimeFormat("zh-CN", { timeZone: CHINA_TZ, hour: "2-digit", minute: "2-digit", hour12: false });

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
