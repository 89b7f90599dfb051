/** Stable, readable colours (the same key gets the same colour for everyone). */
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

function pick(key: string | null | undefined): string {
  if (!key) return PALETTE[PALETTE.length - 1];
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** A unit's colour: its comments' highlights and threads. */
export function orgColor(orgId: string | null | undefined): string {
  return pick(orgId);
}

/**
 * A person's caret colour: two people of the same unit typing side by side must be told apart, so
 * carets are coloured by person (their label names the unit).
 */
export function personColor(userId: string | null | undefined): string {
  return pick(userId);
}
