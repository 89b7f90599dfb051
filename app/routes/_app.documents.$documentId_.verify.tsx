import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { CheckCircle2, XCircle } from "lucide-react";
import { Button, Card, SubpageHeader } from "~/components/ui";
import { requireUser } from "~/services/auth/current-user.server";
import { requireDocumentAccess } from "~/services/document-access.server";
import { verifyFinal } from "~/services/document-versions.server";
import { formatDateTime } from "~/domain/dates";
import { orThrowHttp } from "~/utils/errors";

export const meta: MetaFunction = () => [{ title: "定稿校验 · 会商协同" }];

/**
 * 定稿校验: recomputes the SHA-256 of the finalized version from what is stored (its JSON, and the
 * JSON derived again from its Yjs state) and compares it with the hash stamped at finalization; a
 * hash copied from an export can be checked against it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { facts } = await requireDocumentAccess(user, params.documentId);
  const input = (new URL(request.url).searchParams.get("hash") ?? "").trim().toLowerCase().slice(0, 200);
  const candidate = /^[0-9a-f]{64}$/.test(input) ? input : null;
  const { final, finalHash, matching } = await orThrowHttp(() => verifyFinal(facts, candidate));
  return json({
    document: { id: facts.id, title: facts.title, status: facts.status },
    final: final
      ? {
          number: final.number,
          createdAt: formatDateTime(final.createdAt),
          stamped: final.stamped,
          stored: final.stored,
          recomputed: final.recomputed,
          fromState: final.fromState,
          ok: final.recomputed === final.stamped && final.stored === final.stamped && final.fromState === final.stamped,
        }
      : null,
    check: input
      ? {
          input,
          valid: Boolean(candidate),
          isFinal: Boolean(candidate && candidate === finalHash),
          version: matching,
        }
      : null,
  });
}

function Result({ ok, children }: { ok: boolean; children: React.ReactNode }) {
  return (
    <p className={`flex items-start gap-2 text-sm ${ok ? "text-green-800" : "text-red-700"}`} role="status">
      {ok ? (
        <CheckCircle2 className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
      ) : (
        <XCircle className="mt-0.5 h-4 w-4 shrink-0" aria-hidden />
      )}
      <span>{children}</span>
    </p>
  );
}

export default function VerifyPage() {
  const { document, final, check } = useLoaderData<typeof loader>();
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <SubpageHeader
        back={{ to: `/documents/${document.id}`, label: "返回文书" }}
        title="定稿校验"
        subtitle={document.title}
      />
      <Card title="定稿内容的 SHA-256">
        {final ? (
          <div className="flex flex-col gap-2" data-testid="verify-final">
            <Result ok={final.ok}>
              {final.ok
                ? `定稿（第${final.number}版，${final.createdAt}）内容完整：按存储内容重新计算的 SHA-256 与定稿时记录的一致。`
                : "校验不通过：存储的定稿内容与定稿时记录的 SHA-256 不一致，请立即联系管理员。"}
            </Result>
            <dl className="grid gap-1 text-xs text-slate-600 sm:grid-cols-[10rem_1fr]">
              <dt>定稿时记录</dt>
              <dd>
                <code className="break-all font-mono">{final.stamped}</code>
              </dd>
              <dt>按定稿内容重新计算</dt>
              <dd>
                <code className="break-all font-mono">{final.recomputed}</code>
              </dd>
              <dt>按协同状态重新推导</dt>
              <dd>
                <code className="break-all font-mono">{final.fromState}</code>
              </dd>
            </dl>
          </div>
        ) : (
          <p className="text-sm text-slate-600">
            本文书尚未定稿（{document.status === "COUNTERSIGNING" ? "会签中" : "起草中"}
            ），全部单位会签同意后才有定稿哈希。
          </p>
        )}
      </Card>
      <Card title="核对导出件上的哈希">
        <Form method="get" className="flex flex-wrap items-end gap-2">
          <label className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
            <span className="font-medium text-slate-700">导出件落款处的 SHA-256（64 位十六进制）</span>
            <input
              name="hash"
              defaultValue={check?.input ?? ""}
              maxLength={200}
              autoComplete="off"
              spellCheck={false}
              className="rounded-md border border-slate-300 px-3 py-2 font-mono text-xs"
            />
          </label>
          <Button type="submit" variant="secondary">
            核对
          </Button>
        </Form>
        {check ? (
          <div className="mt-3" data-testid="verify-check">
            {!check.valid ? (
              <Result ok={false}>格式不正确：SHA-256 应为 64 位十六进制字符（0-9、a-f）。</Result>
            ) : check.isFinal ? (
              <Result ok>与定稿一致：该导出件的内容就是本文书的定稿。</Result>
            ) : check.version ? (
              <Result ok={false}>与第{check.version}版一致，但该版本不是定稿（可能是会签稿或草稿）。</Result>
            ) : (
              <Result ok={false}>不一致：本文书没有任何版本的内容与该哈希相符。</Result>
            )}
          </div>
        ) : null}
      </Card>
    </div>
  );
}
