/**
 * A collaborator's caret: coloured by person, labelled with the person and their unit (张伟（市司法局）),
 * so two people of one unit are told apart. What arrives over awareness is untrusted: the colour must
 * be a plain hex colour and the label is text, never markup.
 */
const HEX = /^#[0-9a-fA-F]{6}$/;

export function caretLabel(user: { name?: unknown; org?: unknown }): string {
  const name = typeof user.name === "string" ? user.name.slice(0, 40) : "";
  const org = typeof user.org === "string" && user.org ? user.org.slice(0, 40) : "";
  return org ? `${name}（${org}）` : name;
}

export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color = typeof user.color === "string" && HEX.test(user.color) ? user.color : "#334155";
  const caret = document.createElement("span");
  caret.classList.add("collaboration-carets__caret");
  caret.style.borderColor = color;
  const label = document.createElement("div");
  label.classList.add("collaboration-carets__label");
  label.style.backgroundColor = color;
  label.append(document.createTextNode(caretLabel(user)));
  caret.append(label);
  return caret;
}

/**
 * A collaborator's selection: a light tint of their colour (12 %), so every text colour under it —
 * a unit's 修订 included — keeps its contrast (WCAG 1.4.3); the library's default (44 %) does not.
 */
export function renderSelection(user: Record<string, unknown>): { style: string; class: string } {
  const color = typeof user.color === "string" && HEX.test(user.color) ? user.color : "#334155";
  return { style: `background-color: ${color}1f`, class: "ProseMirror-yjs-selection" };
}
