// @vitest-environment happy-dom
import { act, createElement, useState } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, describe, expect, it } from "vitest";
import type { OrgOption } from "./org-choice-list";
import { filterOrgs, OrgPicker } from "./org-picker";

const ORGS: OrgOption[] = [
  { id: "o1", name: "示例市司法局", region: "示例市" },
  { id: "o2", name: "示例市市场监督管理局", region: "示例市" },
  { id: "o3", name: "甲县市场监督管理局", region: "甲县" },
  { id: "o4", name: "示例市生态环境局", region: "示例市" },
];

describe("org picker filter", () => {
  it("matches every word against name and region, and leaves out excluded orgs", () => {
    expect(filterOrgs(ORGS, "市场", new Set()).map((o) => o.id)).toEqual(["o2", "o3"]);
    expect(filterOrgs(ORGS, "甲县", new Set()).map((o) => o.id)).toEqual(["o3"]);
    expect(filterOrgs(ORGS, "市场 示例市", new Set()).map((o) => o.id)).toEqual(["o2"]);
    expect(filterOrgs(ORGS, "  ", new Set(["o1"])).map((o) => o.id)).toEqual(["o2", "o3", "o4"]);
    expect(filterOrgs(ORGS, "", new Set(), 2)).toHaveLength(2);
    expect(filterOrgs(ORGS, "公安", new Set())).toEqual([]);
  });
});

describe("org picker keyboard", () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  let root: Root | null = null;
  let host: HTMLElement | null = null;
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    cleanups.splice(0).forEach((f) => f());
    act(() => root?.unmount());
    host?.remove();
    root = null;
  });

  /** A multiple picker, and the Escape keys a dialog around it would see (Radix: document, capture phase). */
  function mount() {
    host = document.createElement("div");
    document.body.append(host);
    const escapes: string[] = [];
    const dialog = (e: KeyboardEvent) => {
      if (e.key === "Escape") escapes.push("dialog");
    };
    document.addEventListener("keydown", dialog, { capture: true });
    cleanups.push(() => document.removeEventListener("keydown", dialog, { capture: true }));
    function Harness() {
      const [selected, setSelected] = useState<string[]>([]);
      return createElement(OrgPicker, {
        label: "配合单位",
        orgs: ORGS,
        selected,
        exclude: [],
        multiple: true,
        onChange: setSelected,
      });
    }
    root = createRoot(host);
    act(() => root?.render(createElement(Harness)));
    const input = host.querySelector<HTMLInputElement>('input[role="combobox"]');
    if (!input) throw new Error("no combobox");
    return { input, escapes, host };
  }

  const key = (el: HTMLElement, k: string) =>
    act(() => {
      el.dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true }));
    });
  const type = (input: HTMLInputElement, text: string) =>
    act(() => {
      const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value")?.set;
      setter?.call(input, text);
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });

  it("moves with the arrows, picks with Enter and closes only the list with Escape", () => {
    const { input, escapes, host } = mount();
    act(() => input.focus());
    type(input, "市场");
    expect(input.getAttribute("aria-expanded")).toBe("true");
    key(input, "ArrowDown");
    const active = input.getAttribute("aria-activedescendant");
    expect(active && host.querySelector(`#${CSS.escape(active)}`)?.textContent).toContain("甲县市场监督管理局");
    key(input, "Enter");
    expect(host.querySelector('[aria-label="已选配合单位"]')?.textContent).toContain("甲县市场监督管理局");
    expect(input.value).toBe("");

    key(input, "Escape");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect(escapes).toEqual([]);
    key(input, "Escape");
    expect(escapes).toEqual(["dialog"]);
  });

  it("returns the focus to the field when a chosen org is removed", () => {
    const { input, host } = mount();
    act(() => input.focus());
    type(input, "司法");
    key(input, "Enter");
    key(input, "Escape");
    const remove = host.querySelector<HTMLButtonElement>('button[aria-label="移除配合单位：示例市司法局"]');
    act(() => remove?.focus());
    act(() => remove?.click());
    expect(host.querySelector('[aria-label="已选配合单位"]')).toBeNull();
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute("aria-expanded")).toBe("false");
  });
});
