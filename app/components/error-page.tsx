import { Link } from "@remix-run/react";
import { AlertTriangle, Ban, FileQuestion, LogIn, ServerCrash } from "lucide-react";

const TITLES: Record<number, { title: string; hint: string }> = {
  400: { title: "请求有误", hint: "提交的内容无法处理，请返回检查后重试。" },
  401: { title: "请先登录", hint: "登录已失效或尚未登录。" },
  403: { title: "无权访问", hint: "您没有权限访问此页面或执行此操作。如需开通，请联系本单位系统管理员。" },
  404: { title: "页面不存在", hint: "您要找的页面或数据不存在，可能已被删除或链接有误。" },
  413: { title: "内容过大", hint: "提交的内容超过了允许的大小。" },
  429: { title: "操作过于频繁", hint: "请稍后再试。" },
  503: { title: "暂时无法完成", hint: "服务暂时不可用，请稍后重试。" },
  500: { title: "系统错误", hint: "系统出现错误，我们已记录。请稍后重试。" },
};

export function ErrorPage({ status, message }: { status: number; message?: string }) {
  const known = TITLES[status] ?? (status >= 500 ? TITLES[500] : TITLES[400]);
  const Icon =
    status === 403
      ? Ban
      : status === 404
        ? FileQuestion
        : status === 401
          ? LogIn
          : status >= 500
            ? ServerCrash
            : AlertTriangle;
  return (
    <main
      className="mx-auto flex min-h-[60vh] max-w-xl flex-col items-center justify-center gap-4 p-8 text-center"
      role="alert"
    >
      <Icon className="h-12 w-12 text-slate-500" aria-hidden />
      <p className="text-sm font-medium text-slate-500">错误代码 {status}</p>
      <h1 className="text-2xl font-semibold text-slate-900">{known.title}</h1>
      <p className="text-slate-600">{status >= 500 && status !== 503 ? known.hint : (message ?? known.hint)}</p>
      <div className="flex gap-3">
        <Link to="/" className="rounded-md bg-brand-600 px-4 py-2 text-white hover:bg-brand-700">
          返回工作台
        </Link>
        {status === 401 ? (
          <Link to="/login" className="rounded-md border border-slate-300 px-4 py-2 hover:bg-slate-100">
            去登录
          </Link>
        ) : null}
      </div>
    </main>
  );
}
