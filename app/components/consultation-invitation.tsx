import { Form } from "@remix-run/react";
import { BellRing, CalendarX, Pencil } from "lucide-react";
import { useState } from "react";
import { Badge, Button, Card, Table, Td, TextField } from "~/components/ui";
import { RSVP_ANSWER_LABELS, RSVP_ANSWERS, type RsvpAnswer } from "~/domain/consultation";

/**
 * The invitation on the consultation page (ADR 021): 参会回执 for whoever answers a row, the 回执
 * table with 催办 for the convener, 修改时间地点议程 and 取消会商 while the meeting is still to come.
 */

type FieldErrors = Record<string, string[] | undefined>;

export interface ReplyFormData {
  participantId: string;
  heading: string;
  current: string;
  answer: RsvpAnswer | null;
  reason: string;
  delegateUserId: string;
  colleagues: Array<{ value: string; label: string }>;
  /** A 特邀 guest's row (ADR 024): no unit, so 委派 is not offered at all. */
  guest: boolean;
}

const fieldError = (id: string, errors: string[] | undefined) =>
  errors?.length ? (
    <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
      {errors.join("；")}
    </p>
  ) : null;

const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-brand-600 aria-[invalid=true]:border-red-500";

/** One row's reply: real radio buttons in a fieldset, the reason and the colleague labelled, errors linked. */
function ReplyForm({
  form,
  errors,
  busy,
  onSubmit,
}: {
  form: ReplyFormData;
  errors: FieldErrors;
  busy: boolean;
  onSubmit: () => void;
}) {
  const [answer, setAnswer] = useState<RsvpAnswer | null>(form.answer);
  const id = (name: string) => `rsvp-${name}-${form.participantId}`;
  const described = (name: string) => (errors[name]?.length ? `${id(name)}-error` : undefined);
  return (
    <Form method="post" className="flex flex-col gap-3" onSubmit={onSubmit}>
      <input type="hidden" name="intent" value="rsvp" />
      <input type="hidden" name="participantId" value={form.participantId} />
      <p className="text-sm text-slate-600">
        {form.heading}：<span className="font-medium text-slate-800">{form.current}</span>
      </p>
      <fieldset className="flex flex-col gap-1" aria-describedby={described("answer")}>
        <legend className="mb-1 text-sm font-medium text-slate-700">是否参加</legend>
        <div className="flex flex-wrap gap-4">
          {RSVP_ANSWERS.filter((value) => value !== "DELEGATED" || form.colleagues.length > 0).map((value) => (
            <label key={value} className="inline-flex items-center gap-1.5 text-sm">
              <input
                type="radio"
                name="answer"
                value={value}
                required
                checked={answer === value}
                onChange={() => setAnswer(value)}
                className="h-4 w-4 border-slate-300 text-brand-600"
              />
              {RSVP_ANSWER_LABELS[value]}
            </label>
          ))}
        </div>
        {fieldError(id("answer"), errors.answer)}
      </fieldset>
      <div className="flex flex-col gap-1">
        <label htmlFor={id("reason")} className="text-sm font-medium text-slate-700">
          {answer === "DELEGATED" ? "委派说明（可不填）" : "不参加的原因（选择不参加时必填）"}
        </label>
        <input
          id={id("reason")}
          name="reason"
          maxLength={200}
          defaultValue={form.reason}
          aria-invalid={errors.reason?.length ? true : undefined}
          aria-describedby={described("reason")}
          className={inputClass}
        />
        {fieldError(id("reason"), errors.reason)}
      </div>
      {form.colleagues.length ? (
        <div className="flex flex-col gap-1">
          <label htmlFor={id("delegateUserId")} className="text-sm font-medium text-slate-700">
            委派的同事（选择委派他人时必选）
          </label>
          <select
            id={id("delegateUserId")}
            name="delegateUserId"
            defaultValue={form.delegateUserId}
            aria-invalid={errors.delegateUserId?.length ? true : undefined}
            aria-describedby={described("delegateUserId")}
            className={inputClass}
          >
            <option value="">请选择</option>
            {form.colleagues.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
          {fieldError(id("delegateUserId"), errors.delegateUserId)}
        </div>
      ) : form.guest ? null : (
        <p className="text-xs text-slate-500">本单位暂无可委派的其他在职人员。</p>
      )}
      <div>
        <Button type="submit" disabled={busy}>
          提交回执
        </Button>
      </div>
    </Form>
  );
}

/** 参会回执: a form per row the user answers (usually one). */
export function ReplyCard({
  forms,
  errors,
  busy,
}: {
  forms: ReplyFormData[];
  errors: FieldErrors | null;
  busy: boolean;
}) {
  // The form last submitted shows the refusal's field messages (the first one before any submission).
  const [last, setLast] = useState<string | null>(null);
  if (forms.length === 0) return null;
  const target = last ?? forms[0]!.participantId;
  return (
    <Card title="参会回执">
      <div className="flex flex-col gap-6">
        {forms.map((f) => (
          <ReplyForm
            key={f.participantId}
            form={f}
            errors={f.participantId === target ? (errors ?? {}) : {}}
            busy={busy}
            onSubmit={() => setLast(f.participantId)}
          />
        ))}
      </div>
    </Card>
  );
}

export interface ReplyRowData {
  id: string;
  who: string;
  role: string;
  answer: string;
  tone: "slate" | "green" | "red" | "amber";
  note: string;
  by: string;
}

/** The convener's 回执 table: who answered what, the reasons, who has not; 催办 while it helps. */
export function RepliesCard({
  rows,
  counts,
  chase,
  busy,
}: {
  rows: ReplyRowData[];
  counts: string;
  chase: { allowed: boolean; note: string | null } | null;
  busy: boolean;
}) {
  return (
    <Card title="回执情况">
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-slate-600">{counts}</p>
        {chase ? (
          <Form method="post" className="flex items-center gap-2">
            <input type="hidden" name="intent" value="chaseReplies" />
            {chase.note ? <span className="text-xs text-slate-500">{chase.note}</span> : null}
            <Button type="submit" variant="secondary" disabled={busy || !chase.allowed}>
              <BellRing className="h-4 w-4" aria-hidden />
              催办未回执
            </Button>
          </Form>
        ) : null}
      </div>
      <Table head={["参会单位 / 人员", "身份", "回执", "原因 / 委派", "回复人"]} caption="回执情况">
        {rows.map((r) => (
          <tr key={r.id}>
            <Td>{r.who}</Td>
            <Td>{r.role}</Td>
            <Td>
              <Badge tone={r.tone}>{r.answer}</Badge>
            </Td>
            <Td>{r.note}</Td>
            <Td className="whitespace-nowrap">{r.by}</Td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}

export interface ScheduleData {
  date: string;
  startTime: string;
  endTime: string;
  place: string;
  agenda: string;
}

/** 修改时间地点议程 and 取消会商 (the convener, PLANNED only), folded away until opened. */
export function ScheduleCard({
  schedule,
  errors,
  busy,
}: {
  schedule: ScheduleData;
  errors: FieldErrors | null;
  busy: boolean;
}) {
  const e = errors ?? {};
  const rescheduleOpen = ["date", "startTime", "endTime", "place", "agenda"].some((k) => e[k]?.length);
  return (
    <Card title="变更与取消">
      <div className="flex flex-col gap-4">
        <details open={rescheduleOpen}>
          <summary className="cursor-pointer text-sm font-medium text-slate-700">
            <Pencil className="mr-1 inline h-4 w-4" aria-hidden />
            修改时间、地点、议程
          </summary>
          <Form method="post" className="mt-3 grid gap-3 md:grid-cols-3">
            <input type="hidden" name="intent" value="reschedule" />
            <TextField
              label="日期"
              name="date"
              id="reschedule-date"
              type="date"
              required
              defaultValue={schedule.date}
              errors={e.date}
            />
            <TextField
              label="开始时间"
              name="startTime"
              id="reschedule-startTime"
              type="time"
              required
              defaultValue={schedule.startTime}
              errors={e.startTime}
            />
            <TextField
              label="结束时间"
              name="endTime"
              id="reschedule-endTime"
              type="time"
              required
              defaultValue={schedule.endTime}
              errors={e.endTime}
            />
            <div className="md:col-span-3">
              <TextField
                label="地点"
                name="place"
                id="reschedule-place"
                required
                maxLength={80}
                defaultValue={schedule.place}
                errors={e.place}
              />
            </div>
            <div className="flex flex-col gap-1 md:col-span-3">
              <label htmlFor="reschedule-agenda" className="text-sm font-medium text-slate-700">
                议程（每行一项）
              </label>
              <textarea
                id="reschedule-agenda"
                name="agenda"
                rows={4}
                maxLength={4000}
                defaultValue={schedule.agenda}
                aria-invalid={e.agenda?.length ? true : undefined}
                aria-describedby={e.agenda?.length ? "reschedule-agenda-error" : undefined}
                className={inputClass}
              />
              {fieldError("reschedule-agenda", e.agenda)}
            </div>
            <p className="text-xs text-slate-500 md:col-span-2">
              保存后日历邀请的版本号加一，受邀单位和人员会收到变更通知，重新下载邀请即可更新日历中的原日程。
            </p>
            <div className="md:text-right">
              <Button type="submit" variant="secondary" disabled={busy}>
                保存并通知
              </Button>
            </div>
          </Form>
        </details>
        <details open={Boolean(e.cancelReason?.length)}>
          <summary className="cursor-pointer text-sm font-medium text-red-700">
            <CalendarX className="mr-1 inline h-4 w-4" aria-hidden />
            取消会商
          </summary>
          <Form method="post" className="mt-3 flex flex-col gap-3">
            <input type="hidden" name="intent" value="cancel" />
            <TextField
              label="取消原因"
              name="cancelReason"
              id="cancel-reason"
              required
              maxLength={200}
              errors={e.cancelReason}
              hint="受邀单位和人员会收到取消通知；日历邀请变为取消通知（METHOD:CANCEL），导入后删除原日程。"
            />
            <div>
              <Button type="submit" variant="danger" disabled={busy}>
                确认取消会商
              </Button>
            </div>
          </Form>
        </details>
      </div>
    </Card>
  );
}

/** A cancelled consultation says so first. */
export function CancelledNotice({ note }: { note: string }) {
  return (
    <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="note">
      {note}
    </div>
  );
}
