/** A stable, readable caret colour per organization (same org, same colour, for everyone). */
const PALETTE = [
  "#1d4ed8",
  "#b91c1c",
  "#047857",
  "#7c3aed",
  "#c2410c",
  "#0e7490",
  "#be185d",
  "#4d7c0f",
  "#a16207",
  "#334155",
];

export function orgColor(orgId: string | null | undefined): string {
  if (!orgId) return PALETTE[PALETTE.length - 1];
  let h = 0;
  for (let i = 0; i < orgId.length; i++) h = (h * 31 + orgId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}
