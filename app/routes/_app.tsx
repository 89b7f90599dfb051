import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, NavLink, Outlet, useLoaderData } from "@remix-run/react";
import {
  BookOpenCheck,
  CircleHelp,
  ClipboardList,
  FileSearch,
  FileText,
  FileWarning,
  GraduationCap,
  LayoutDashboard,
  LogOut,
  Scale,
  Settings,
  UserCircle,
  Users,
} from "lucide-react";
import { NavBar, NavMenu, type NavItem } from "~/components/app-nav";
import { NotificationBell } from "~/components/notification-bell";
import { SearchBox } from "~/components/search-box";
import { adminAbilities } from "~/policies/administration";
import { isClueHandler } from "~/policies/clue";
import { canOpenPool } from "~/policies/external";
import { canOpenLitigation } from "~/policies/litigation";
import { EXTERNAL_KIND_LABELS } from "~/domain/external";
import { requireUser } from "~/services/auth/current-user.server";
import { unreadCount } from "~/services/notifications.server";
import { ROLE_LABELS, isRole } from "~/domain/organization";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const unread = await unreadCount(user.id);
  return json(
    {
      user: {
        id: user.id,
        displayName: user.displayName,
        username: user.username,
        memberships: user.memberships.map((m) => ({
          orgName: m.org.name,
          role: isRole(m.role) ? ROLE_LABELS[m.role] : m.role,
        })),
      },
      unread,
      abilities: {
        admin: adminAbilities(user.actor),
        clues: isClueHandler(user.actor),
        pool: canOpenPool(user.actor),
        litigation: canOpenLitigation(user.actor),
      },
      // An outside participant (ADR 024): its workbench and the guide only; no unit.
      external: user.actor.external ? EXTERNAL_KIND_LABELS[user.actor.external] : null,
    },
    // The session slid forward: its cookie is sent again so it lives as long as the session (ADR 015).
    user.cookie ? { headers: { "Set-Cookie": user.cookie.serialize() } } : undefined,
  );
}

const NAV: readonly NavItem[] = [
  { to: "/", label: "工作台", icon: LayoutDashboard, end: true },
  { to: "/consultations", label: "会商", icon: Users },
  { to: "/documents", label: "文书", icon: FileText },
  { to: "/ledger", label: "台账", icon: ClipboardList },
  { to: "/recommendations", label: "建议书与整改", icon: FileWarning },
  { to: "/typical-cases", label: "典型案例", icon: BookOpenCheck },
];

export default function AppShell() {
  const { user, unread, abilities, external } = useLoaderData<typeof loader>();
  const primary = user.memberships[0];
  // 线索移送 only for clue handlers (ADR 023): nobody else may open it, so nobody else is offered it.
  const nav = external
    ? NAV.slice(0, 1)
    : [
        ...NAV,
        ...(abilities.clues ? [{ to: "/clues", label: "线索移送", icon: FileSearch }] : []),
        // 府院联动 (ADR 025) for courts and the units that watch their figures.
        ...(abilities.litigation ? [{ to: "/litigation", label: "府院联动", icon: Scale }] : []),
        // 专家库 for whoever convenes (browses the pools of its regions); outside participants never.
        ...(abilities.pool ? [{ to: "/experts", label: "专家库", icon: GraduationCap }] : []),
        ...(abilities.admin.access ? [{ to: "/admin", label: "管理", icon: Settings }] : []),
      ];
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
      >
        跳到正文
      </a>
      <header className="sticky top-0 z-40 border-b border-slate-200 bg-white/95 backdrop-blur">
        <div className="relative mx-auto flex max-w-7xl items-center gap-2 px-4 py-2 sm:gap-4">
          <NavLink to="/" className="flex shrink-0 items-center gap-2 font-semibold text-brand-800">
            <span className="grid h-8 w-8 place-items-center rounded-md bg-brand-600 text-white">会</span>
            <span className="hidden xl:inline">会商协同</span>
          </NavLink>
          <NavBar items={nav} />
          <div className="min-w-0 flex-1 xl:hidden" />
          <div className="flex shrink-0 items-center gap-2">
            {/* Global search (ADR 028): not for outside participants, who read only what they are invited to. */}
            {external ? null : <SearchBox />}
            <NavLink
              to="/guide"
              className="flex items-center gap-1 rounded-md px-2 py-2 text-sm text-slate-600 hover:bg-slate-100"
              aria-label="使用指南"
              title="使用指南"
            >
              <CircleHelp className="h-5 w-5" aria-hidden />
              <span className="hidden 2xl:inline">使用指南</span>
            </NavLink>
            <NotificationBell initialUnread={unread} />
            <NavMenu
              items={nav}
              account={{ name: user.displayName, org: primary ? primary.orgName : (external ?? "未分配单位") }}
            />
            <NavLink
              to="/account"
              className="hidden items-center gap-2 rounded-md px-2 py-1 hover:bg-slate-100 md:flex"
              // The unit and role line may be cut on narrow screens: the whole of it on hover.
              title={`账号设置：${user.displayName}，${primary ? `${primary.orgName} · ${primary.role}` : (external ?? "未分配单位")}`}
            >
              <UserCircle className="h-6 w-6 text-slate-500" aria-hidden />
              <span className="text-left leading-tight">
                <span className="block text-sm font-medium text-slate-800" data-testid="shell-user-name">
                  {user.displayName}
                </span>
                <span
                  className="block max-w-[12rem] truncate text-xs text-slate-500 lg:max-w-[16rem] xl:max-w-[13rem] 2xl:max-w-[20rem]"
                  data-testid="shell-user-org"
                >
                  {primary ? `${primary.orgName} · ${primary.role}` : (external ?? "未分配单位")}
                </span>
              </span>
            </NavLink>
            <Form method="post" action="/logout">
              <button
                type="submit"
                className="flex items-center gap-1 rounded-md px-2 py-2 text-sm text-slate-600 hover:bg-slate-100"
                title="退出登录"
                aria-label="退出登录"
              >
                <LogOut className="h-4 w-4" aria-hidden />
                <span className="hidden lg:inline">退出</span>
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-7xl flex-1 px-4 py-6">
        <Outlet />
      </main>
    </div>
  );
}
