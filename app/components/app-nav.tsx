import { NavLink, useLocation } from "@remix-run/react";
import type { LucideIcon } from "lucide-react";
import { Menu, UserCircle, X } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { cx } from "~/components/ui";

export interface NavItem {
  to: string;
  label: string;
  icon: LucideIcon;
  end?: boolean;
}

const linkClass = (isActive: boolean) =>
  cx(
    "flex shrink-0 items-center gap-1.5 rounded-md px-3 py-2 text-sm xl:px-2.5 2xl:px-3",
    isActive ? "bg-brand-50 font-semibold text-brand-800" : "text-slate-600 hover:bg-slate-100",
  );

/**
 * The shell's navigation in a row, from 1280 px up (below that, `NavMenu` shows the same links): up
 * to nine entries fit beside the account; their icons show from 1536 px.
 */
export function NavBar({ items }: { items: readonly NavItem[] }) {
  return (
    <nav aria-label="主导航" className="hidden min-w-0 flex-1 gap-0.5 xl:flex">
      {items.map((item) => (
        <NavLink key={item.to} to={item.to} end={item.end ?? false} className={({ isActive }) => linkClass(isActive)}>
          <item.icon className="hidden h-4 w-4 2xl:block" aria-hidden />
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}

/**
 * Phones, tablets and small laptops (below 1280 px): a 菜单 button opening every link of the shell, the account
 * included, as a list under the header. It closes on navigation, on Escape (focus back on the
 * button) and on a second press.
 */
export function NavMenu({ items, account }: { items: readonly NavItem[]; account: { name: string; org: string } }) {
  const [open, setOpen] = useState(false);
  const location = useLocation();
  const panelId = useId();
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [location.pathname, location.search]);

  return (
    // Escape from the button or from a link of the open list closes it.
    <div
      className="xl:hidden"
      onKeyDown={(e) => {
        if (e.key !== "Escape" || !open) return;
        setOpen(false);
        button.current?.focus();
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-1 rounded-md px-2 py-2 text-sm text-slate-700 hover:bg-slate-100"
      >
        {open ? <X className="h-5 w-5" aria-hidden /> : <Menu className="h-5 w-5" aria-hidden />}
        <span>菜单</span>
      </button>
      <nav
        id={panelId}
        aria-label="主导航"
        hidden={!open}
        className="absolute inset-x-0 top-full border-b border-slate-200 bg-white shadow-md"
      >
        <ul className="mx-auto grid max-w-7xl gap-1 px-4 py-3 sm:grid-cols-2">
          {items.map((item) => (
            <li key={item.to}>
              <NavLink to={item.to} end={item.end ?? false} className={({ isActive }) => linkClass(isActive)}>
                <item.icon className="h-4 w-4" aria-hidden />
                {item.label}
              </NavLink>
            </li>
          ))}
          <li className="border-t border-slate-100 pt-2 sm:col-span-2">
            <NavLink to="/account" className={({ isActive }) => linkClass(isActive)}>
              <UserCircle className="h-4 w-4" aria-hidden />
              <span>
                账号设置{" "}
                <span className="text-slate-500">
                  · {account.name}（{account.org}）
                </span>
              </span>
            </NavLink>
          </li>
        </ul>
      </nav>
    </div>
  );
}
