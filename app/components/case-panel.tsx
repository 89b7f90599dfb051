import { useFetcher, useRevalidator, type FetcherWithComponents } from "@remix-run/react";
import type { Editor } from "@tiptap/react";
import { CheckCircle2, ExternalLink, ShieldAlert, ShieldCheck, Wand2 } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Badge, Button, FormErrors, Notice } from "~/components/ui";
import { CASE_FIELDS, type CaseCheck, type CaseFinding, type CasePanelData } from "~/domain/typical-case";

type CaseAnswer =
  | { ok: false; message: string; fieldErrors?: Record<string, string[]> }
  | {
      ok: true;
      intent: string;
      check?: CaseCheck;
      slug?: string;
    };

const input = "rounded-md border border-slate-300 px-3 py-2 text-sm";

/**
 * The typical-case side of the document page: 案例信息, 脱敏检查 (findings marked in the editor, one-click
 * fixes, publisher overrides), 提交审核, 发布 / 撤回 / 更正. All requests go to /documents/:id/case.
 */
export function CasePanel({ data, editor }: { data: CasePanelData; editor: Editor | null }) {
  const action = `/documents/${data.documentId}/case`;
  const check = useFetcher<CaseAnswer>();
  const work = useFetcher<CaseAnswer>();
  const revalidator = useRevalidator();
  const [findings, setFindings] = useState<{ list: CaseFinding[]; blocking: number; missing: string[] } | null>(null);
  const recheck = useRef<ReturnType<typeof setTimeout> | null>(null);

  const runCheck = () => check.submit({ intent: "check" }, { method: "post", action });

  // A check result: keep it and mark the body's open findings in the editor.
  useEffect(() => {
    const d = check.data;
    if (d?.ok && d.check)
      setFindings({ list: d.check.findings, blocking: d.check.blocking, missing: d.check.missingSections });
  }, [check.data]);
  useEffect(() => {
    editor?.commands.setRedactionFindings(
      findings
        ? findings.list.filter((f) => f.where === "body" && !f.override).map((f) => ({ text: f.text, label: f.label }))
        : [],
    );
  }, [editor, findings]);
  useEffect(
    () => () => {
      if (recheck.current) clearTimeout(recheck.current);
    },
    [],
  );
  // After any workflow step: refresh the page data (status, abilities) and, for an override, the check.
  useEffect(() => {
    if (work.state !== "idle" || !work.data?.ok) return;
    if (work.data.intent === "override") runCheck();
    else revalidator.revalidate();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [work.state, work.data]);

  const fix = (f: CaseFinding) => {
    if (!editor) return;
    editor.commands.replaceAllText(f.text, f.replacement);
    // The change reaches the server over the collab socket; check again once it has.
    if (recheck.current) clearTimeout(recheck.current);
    recheck.current = setTimeout(runCheck, 900);
  };
  const fixAll = () => {
    if (!editor || !findings) return;
    for (const f of findings.list)
      if (f.where === "body" && !f.override) editor.commands.replaceAllText(f.text, f.replacement);
    if (recheck.current) clearTimeout(recheck.current);
    recheck.current = setTimeout(runCheck, 900);
  };
  const error =
    (work.data && !work.data.ok ? work.data.message : null) ??
    (check.data && !check.data.ok ? check.data.message : null);
  const fieldErrors = work.data && !work.data.ok ? (work.data.fieldErrors ?? {}) : {};
  const busy = work.state !== "idle";
  const open = findings?.list.filter((f) => !f.override) ?? [];

  return (
    <section
      aria-label="典型案例"
      className="grid gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm lg:grid-cols-2"
    >
      <div className="flex flex-col gap-3">
        <CaseInfo data={data} work={work} action={action} fieldErrors={fieldErrors} busy={busy} />
      </div>

      <div className="flex flex-col gap-3">
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h2 className="text-base font-semibold text-slate-800">脱敏检查</h2>
          <Button type="button" variant="secondary" onClick={runCheck} disabled={check.state !== "idle"}>
            {check.state !== "idle" ? "正在检查…" : "运行脱敏检查"}
          </Button>
        </div>
        {error ? <FormErrors errors={[error]} /> : null}
        {findings === null ? (
          <p className="text-sm text-slate-500">
            检查身份证号码、手机和固定电话、银行卡号、车牌号、电子邮箱、乡镇以下详细地址、当事人姓名和疑似姓名。提交审核和发布前会自动再查一次。
          </p>
        ) : (
          <div className="flex flex-col gap-2" data-testid="redaction-result">
            {findings.missing.length ? (
              <p className="text-sm text-amber-800">以下部分尚未填写：{findings.missing.join("、")}</p>
            ) : null}
            {open.length === 0 ? (
              <p className="flex items-center gap-1 text-sm font-medium text-green-700" data-testid="redaction-pass">
                <ShieldCheck className="h-4 w-4" aria-hidden />
                未发现需处理的个人信息。
              </p>
            ) : (
              <p className="flex items-center gap-1 text-sm font-medium text-red-700">
                <ShieldAlert className="h-4 w-4" aria-hidden />
                发现 {open.length} 项需处理（已在正文中标红）。
                {data.abilities.editMeta && editor?.isEditable ? (
                  <Button type="button" variant="secondary" className="ml-2 px-2 py-0.5 text-xs" onClick={fixAll}>
                    <Wand2 className="h-3.5 w-3.5" aria-hidden />
                    全部一键修正
                  </Button>
                ) : null}
              </p>
            )}
            <FindingList
              findings={findings.list}
              canFix={data.abilities.editMeta && Boolean(editor?.isEditable)}
              canOverride={data.abilities.override}
              onFix={fix}
              work={work}
              action={action}
            />
          </div>
        )}

        <WorkflowForms data={data} work={work} action={action} fieldErrors={fieldErrors} busy={busy} />
      </div>
    </section>
  );
}

type Work = FetcherWithComponents<CaseAnswer>;

interface FormProps {
  data: CasePanelData;
  work: Work;
  /** Where the forms post: /documents/:id/case. */
  action: string;
  fieldErrors: Record<string, string[]>;
  busy: boolean;
}

/** 案例信息: the metadata form of a draft's writers (or the metadata as text) and the public release. */
function CaseInfo({ data, work, action, fieldErrors, busy }: FormProps) {
  return (
    <>
      <h2 className="text-base font-semibold text-slate-800">案例信息</h2>
      {data.abilities.editMeta ? (
        <work.Form method="post" action={action} className="grid gap-2 text-sm sm:grid-cols-2">
          <input type="hidden" name="intent" value="meta" />
          <label className="flex flex-col gap-1 sm:col-span-2">
            <span className="font-medium text-slate-700">标题</span>
            <input name="title" defaultValue={data.title} required maxLength={100} className={input} />
            <FormErrors errors={fieldErrors.title} />
          </label>
          <label className="flex flex-col gap-1">
            <span className="font-medium text-slate-700">领域</span>
            <select name="field" defaultValue={data.field} className={input}>
              {CASE_FIELDS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1">
            <span className="font-medium text-slate-700">批次</span>
            <input
              name="batch"
              defaultValue={data.batch}
              required
              maxLength={20}
              placeholder="2026年上半年"
              className={input}
            />
            <FormErrors errors={fieldErrors.batch} />
          </label>
          <label className="flex flex-col gap-1 sm:col-span-2">
            <span className="font-medium text-slate-700">
              当事人（不公开，每行一个；脱敏检查据此查找真实姓名和名称）
            </span>
            <textarea name="parties" defaultValue={(data.parties ?? []).join("\n")} rows={3} className={input} />
            <FormErrors errors={fieldErrors.parties} />
          </label>
          <div>
            <Button type="submit" name="intent" value="meta" variant="secondary" disabled={busy}>
              保存案例信息
            </Button>
          </div>
        </work.Form>
      ) : (
        <dl className="grid gap-1 text-sm sm:grid-cols-2">
          <div>
            <dt className="inline text-slate-500">领域：</dt>
            <dd className="inline">{data.field}</dd>
          </div>
          <div>
            <dt className="inline text-slate-500">批次：</dt>
            <dd className="inline">{data.batch}</dd>
          </div>
          {data.parties ? (
            <div className="sm:col-span-2">
              <dt className="inline text-slate-500">当事人（不公开）：</dt>
              <dd className="inline">{data.parties.join("、") || "未填写"}</dd>
            </div>
          ) : null}
        </dl>
      )}
      {data.publication ? (
        <p className="flex items-center gap-2 text-sm">
          <Badge tone={data.publication.state === "PUBLISHED" ? "green" : "slate"}>
            {data.publication.state === "PUBLISHED" ? `已发布（第${data.publication.version}版）` : "已撤回"}
          </Badge>
          <a
            href={`/cases/${data.publication.slug}`}
            target="_blank"
            rel="noreferrer"
            className="inline-flex items-center gap-1 text-brand-700 hover:underline"
          >
            /cases/{data.publication.slug}
            <ExternalLink className="h-3.5 w-3.5" aria-hidden />
          </a>
        </p>
      ) : null}
    </>
  );
}

/** The findings of the last check: one-click fixes in the text, publishers' overrides with a reason. */
function FindingList({
  findings,
  canFix,
  canOverride,
  onFix,
  work,
  action,
}: {
  findings: CaseFinding[];
  canFix: boolean;
  canOverride: boolean;
  onFix: (f: CaseFinding) => void;
  work: Work;
  action: string;
}) {
  return (
    <ul className="flex max-h-72 flex-col gap-1 overflow-y-auto text-sm">
      {findings.map((f) => (
        <li
          key={`${f.where}:${f.key}`}
          data-testid="finding"
          data-kind={f.kind}
          className="rounded border border-slate-100 px-2 py-1.5"
        >
          <div className="flex flex-wrap items-center gap-2">
            <Badge tone={f.override ? "slate" : "red"}>{f.label}</Badge>
            <span className="font-mono text-xs">{f.text}</span>
            {f.count > 1 ? <span className="text-xs text-slate-500">×{f.count}</span> : null}
            {f.where === "title" ? <span className="text-xs text-amber-700">在标题中，请修改标题</span> : null}
            {f.where === "link" ? (
              <span className="text-xs text-amber-700">在链接地址中，请修改或删除该链接</span>
            ) : null}
            {!f.override && f.where === "body" && canFix ? (
              <button
                type="button"
                onClick={() => onFix(f)}
                className="ml-auto inline-flex items-center gap-1 rounded border border-brand-200 px-2 py-0.5 text-xs text-brand-700 hover:bg-brand-50"
              >
                <Wand2 className="h-3 w-3" aria-hidden />
                改为「{f.replacement || "（删除）"}」
              </button>
            ) : null}
          </div>
          {f.override ? (
            <p className="mt-1 flex items-center gap-1 text-xs text-slate-500">
              <CheckCircle2 className="h-3 w-3" aria-hidden />
              {f.override.by}认定无需处理：{f.override.reason}
            </p>
          ) : canOverride ? (
            <work.Form method="post" action={action} className="mt-1 flex gap-1">
              <input type="hidden" name="intent" value="override" />
              <input type="hidden" name="key" value={f.key} />
              <input
                name="reason"
                required
                maxLength={300}
                placeholder="认定无需处理的理由（发布审核人）"
                aria-label={`认定「${f.text}」无需处理的理由`}
                className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-0.5 text-xs"
              />
              <button type="submit" className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50">
                无需处理
              </button>
            </work.Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** 提交审核, 发布 (or a correction), 更正 and 撤回, as the user may; and what the last step did. */
function WorkflowForms({ data, work, action, fieldErrors, busy }: FormProps) {
  return (
    <>
      {data.abilities.submit ? (
        <work.Form method="post" action={action} className="border-t border-slate-100 pt-3">
          <input type="hidden" name="intent" value="submit" />
          <Button type="submit" disabled={busy}>
            提交审核
          </Button>
          <span className="ml-2 text-xs text-slate-500">提交前自动脱敏检查；通过后由各发布单位的发布审核人审核。</span>
        </work.Form>
      ) : null}
      {data.abilities.publish ? (
        <work.Form method="post" action={action} className="flex flex-col gap-2 border-t border-slate-100 pt-3 text-sm">
          <input type="hidden" name="intent" value="publish" />
          {data.publication ? (
            <label className="flex flex-col gap-1">
              <span className="font-medium text-slate-700">更正说明（公开显示）</span>
              <textarea name="note" required rows={2} maxLength={500} className={input} />
              <FormErrors errors={fieldErrors.note} />
            </label>
          ) : (
            <label className="flex flex-col gap-1">
              <span className="font-medium text-slate-700">网址名称（/cases/…）</span>
              <input
                name="slug"
                defaultValue={data.suggestedSlug}
                required
                maxLength={80}
                pattern="[a-z0-9]+(-[a-z0-9]+)*"
                className={`${input} font-mono`}
              />
              <FormErrors errors={fieldErrors.slug} />
            </label>
          )}
          <div>
            <Button type="submit" disabled={busy}>
              {data.publication ? "发布更正版本" : "向社会公开发布"}
            </Button>
          </div>
        </work.Form>
      ) : null}
      {data.abilities.withdraw || data.abilities.reopen ? (
        <div className="grid gap-2 border-t border-slate-100 pt-3 text-sm sm:grid-cols-2">
          {data.abilities.reopen ? (
            <work.Form method="post" action={action} className="flex flex-col gap-1">
              <input type="hidden" name="intent" value="reopen" />
              <input
                name="reason"
                required
                maxLength={500}
                placeholder="更正原因"
                aria-label="更正原因"
                className={input}
              />
              <Button type="submit" variant="secondary" disabled={busy}>
                更正（重新打开编辑）
              </Button>
            </work.Form>
          ) : null}
          {data.abilities.withdraw ? (
            <work.Form method="post" action={action} className="flex flex-col gap-1">
              <input type="hidden" name="intent" value="withdraw" />
              <input
                name="note"
                required
                maxLength={500}
                placeholder="撤回说明（公开显示）"
                aria-label="撤回说明"
                className={input}
              />
              <Button type="submit" variant="danger" disabled={busy}>
                撤回
              </Button>
            </work.Form>
          ) : null}
        </div>
      ) : null}
      {work.data?.ok && work.data.intent === "submit" ? <Notice tone="success">已提交审核。</Notice> : null}
      {work.data?.ok && work.data.intent === "publish" && work.data.slug ? (
        <Notice tone="success">
          已发布：
          <a href={`/cases/${work.data.slug}`} className="underline">
            /cases/{work.data.slug}
          </a>
        </Notice>
      ) : null}
    </>
  );
}
