import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/** The WCAG 2.1 A and AA rules, as GB/T 37668-2019 asks of government web systems. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe's violations (WCAG 2.1 A/AA) in the page, or in the parts `include` names, one line per
 * element; `minImpact: "serious"` keeps only serious and critical ones.
 */
export async function axeViolations(
  page: Page,
  options: { include?: string[]; minImpact?: "serious" } = {},
): Promise<string[]> {
  let axe = new AxeBuilder({ page }).withTags(WCAG_TAGS);
  for (const selector of options.include ?? []) axe = axe.include(selector);
  const results = await axe.analyze();
  return results.violations
    .filter((v) => !options.minImpact || v.impact === "serious" || v.impact === "critical")
    .flatMap((v) =>
      v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(" ")} ${n.html.slice(0, 200)} — ${n.failureSummary}`),
    );
}
