import { Link, NavLink, useRouteLoaderData } from "@remix-run/react";
import { externalMayOpen } from "~/domain/external";
import { Check, ChevronLeft, type LucideIcon } from "lucide-react";
import { useEffect, useRef, type ComponentProps, type ReactNode } from "react";

/** Shared primitives (docs/decisions/004-ui-tailwind-radix-lucide.md): one look for every page. */

export function cx(...classes: Array<string | false | null | undefined>): string {
  return classes.filter(Boolean).join(" ");
}

const buttonStyles = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/50",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50",
  danger: "bg-red-600 text-white hover:bg-red-700",
  ghost: "text-slate-700 hover:bg-slate-100",
} as const;

type ButtonVariant = keyof typeof buttonStyles;

export function Button({
  variant = "primary",
  className,
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant }) {
  return (
    <button
      className={cx(
        "inline-flex items-center justify-center gap-1.5 rounded-md px-3.5 py-2 text-sm font-medium transition disabled:cursor-not-allowed",
        buttonStyles[variant],
        className,
      )}
      {...props}
    />
  );
}

export function LinkButton({
  variant = "secondary",
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return (
    <Link
      className={cx(
        "inline-flex items-center justify-center gap-1.5 rounded-md px-3.5 py-2 text-sm font-medium transition",
        buttonStyles[variant],
        className,
      )}
      {...props}
    />
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {description ? <p className="mt-1 text-sm text-slate-500">{description}</p> : null}
      </div>
      {actions ? <div className="flex gap-2">{actions}</div> : null}
    </div>
  );
}

export function Card({
  title,
  children,
  className,
  actions,
}: {
  title?: string;
  children: ReactNode;
  className?: string;
  actions?: ReactNode;
}) {
  return (
    <section className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", className)}>
      {title ? (
        <header className="flex items-center justify-between border-b border-slate-100 px-4 py-3">
          <h2 className="text-base font-semibold text-slate-800">{title}</h2>
          {actions}
        </header>
      ) : null}
      <div className="p-4">{children}</div>
    </section>
  );
}

interface FieldProps {
  label: string;
  name: string;
  errors?: string[];
  hint?: string;
  required?: boolean;
  id?: string;
}

function FieldShell({ label, errors, hint, required, id, children }: FieldProps & { id: string; children: ReactNode }) {
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700">
        {label}
        {required ? (
          <span className="ml-0.5 text-red-600" aria-hidden>
            *
          </span>
        ) : null}
      </label>
      {children}
      {hint && !errors?.length ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="text-sm text-red-700" role="alert">
          {errors.join("；")}
        </p>
      ) : null}
    </div>
  );
}

const inputClass =
  "rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-600 aria-[invalid=true]:border-red-500";

/**
 * A submitted value given back to a single-value field: a form posted with a field twice (a
 * hand-made request) comes back as a list, of which the field shows the first.
 */
function singleValue<T>(value: T): T | string | undefined {
  return Array.isArray(value) ? (value.find((v): v is string => typeof v === "string") ?? "") : value;
}

/** What every form control of a field carries: its id and name, the invalid state and the error it is described by. */
function controlProps(fieldId: string, name: string, errors: FieldProps["errors"]) {
  return {
    id: fieldId,
    name,
    "aria-invalid": errors?.length ? true : undefined,
    "aria-describedby": errors?.length ? `${fieldId}-error` : undefined,
    className: inputClass,
  };
}

export function TextField({
  label,
  name,
  errors,
  hint,
  required,
  id,
  defaultValue,
  ...input
}: FieldProps & Omit<ComponentProps<"input">, "name" | "id">) {
  const fieldId = id ?? `f-${name}`;
  return (
    <FieldShell label={label} name={name} errors={errors} hint={hint} required={required} id={fieldId}>
      <input {...controlProps(fieldId, name, errors)} defaultValue={singleValue(defaultValue)} {...input} />
    </FieldShell>
  );
}

export function TextAreaField({
  label,
  name,
  errors,
  hint,
  required,
  id,
  defaultValue,
  ...textarea
}: FieldProps & Omit<ComponentProps<"textarea">, "name" | "id">) {
  const fieldId = id ?? `f-${name}`;
  return (
    <FieldShell label={label} name={name} errors={errors} hint={hint} required={required} id={fieldId}>
      <textarea {...controlProps(fieldId, name, errors)} defaultValue={singleValue(defaultValue)} {...textarea} />
    </FieldShell>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  required,
  id,
  options,
  placeholder,
  defaultValue,
  ...select
}: FieldProps &
  Omit<ComponentProps<"select">, "name" | "id"> & {
    options: Array<{ value: string; label: string }>;
    placeholder?: string;
  }) {
  const fieldId = id ?? `f-${name}`;
  return (
    <FieldShell label={label} name={name} errors={errors} hint={hint} required={required} id={fieldId}>
      <select
        {...controlProps(fieldId, name, errors)}
        defaultValue={select.multiple ? defaultValue : singleValue(defaultValue)}
        {...select}
      >
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

export function CheckboxField({
  label,
  name,
  errors,
  hint,
  id,
  ...input
}: FieldProps & Omit<ComponentProps<"input">, "name" | "id" | "type">) {
  const fieldId = id ?? `f-${name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={fieldId} className="inline-flex items-center gap-2 text-sm font-medium text-slate-700">
        <input
          id={fieldId}
          name={name}
          type="checkbox"
          aria-invalid={errors?.length ? true : undefined}
          aria-describedby={errors?.length ? `${fieldId}-error` : hint ? `${fieldId}-hint` : undefined}
          className="h-4 w-4 rounded border-slate-300 text-brand-600 focus:ring-brand-600"
          {...input}
        />
        {label}
      </label>
      {hint && !errors?.length ? (
        <p id={`${fieldId}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${fieldId}-error`} className="text-sm text-red-700" role="alert">
          {errors.join("；")}
        </p>
      ) : null}
    </div>
  );
}

export function FormErrors({ errors }: { errors?: string[] | null }) {
  if (!errors?.length) return null;
  return (
    <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="alert">
      {errors.map((e) => (
        <p key={e}>{e}</p>
      ))}
    </div>
  );
}

/**
 * A message in the page. A success message is what a submitted form led to: it takes the focus when
 * it appears, so the keyboard continues from it and screen readers read it out (WCAG 2.4.3, 4.1.3)
 * instead of the focus dropping to the page body after the redirect.
 */
export function Notice({ children, tone = "info" }: { children: ReactNode; tone?: "info" | "success" }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (tone === "success") ref.current?.focus({ preventScroll: false });
  }, [tone]);
  return (
    <div
      ref={ref}
      role="status"
      tabIndex={tone === "success" ? -1 : undefined}
      className={cx(
        "rounded-md border px-3 py-2 text-sm outline-none focus-visible:ring-2 focus-visible:ring-brand-600",
        tone === "success" ? "border-green-200 bg-green-50 text-green-800" : "border-sky-200 bg-sky-50 text-sky-800",
      )}
    >
      {children}
    </div>
  );
}

export function Badge({
  children,
  tone = "slate",
}: {
  children: ReactNode;
  tone?: "slate" | "green" | "amber" | "red" | "blue";
}) {
  const tones = {
    slate: "bg-slate-100 text-slate-700",
    green: "bg-green-100 text-green-800",
    amber: "bg-amber-100 text-amber-800",
    red: "bg-red-100 text-red-800",
    blue: "bg-blue-100 text-blue-800",
  };
  return (
    <span className={cx("inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium", tones[tone])}>
      {children}
    </span>
  );
}

export function EmptyState({ icon, title, children }: { icon?: ReactNode; title: string; children?: ReactNode }) {
  return (
    <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center">
      {icon}
      <p className="font-medium text-slate-700">{title}</p>
      {children ? <div className="text-sm text-slate-500">{children}</div> : null}
    </div>
  );
}

export function Table({ head, children, caption }: { head: ReactNode[]; children: ReactNode; caption?: string }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-slate-50">
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="whitespace-nowrap px-3 py-2 text-left font-medium text-slate-600">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}

export function Td({ children, className }: { children: ReactNode; className?: string }) {
  return <td className={cx("px-3 py-2 align-top text-slate-800", className)}>{children}</td>;
}

/** Secondary navigation (tabs) between the pages of one section. */
export function TabNav({
  label,
  items,
}: {
  label: string;
  items: Array<{ to: string; label: string; icon?: LucideIcon }>;
}) {
  return (
    <nav aria-label={label} className="-mx-1 mb-6 flex gap-1 overflow-x-auto border-b border-slate-200">
      {items.map((item) => (
        <NavLink
          key={item.to}
          to={item.to}
          className={({ isActive }) =>
            cx(
              "-mb-px flex shrink-0 items-center gap-1.5 border-b-2 px-3 py-2 text-sm",
              isActive
                ? "border-brand-600 font-semibold text-brand-800"
                : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-800",
            )
          }
        >
          {item.icon ? <item.icon className="h-4 w-4" aria-hidden /> : null}
          {item.label}
        </NavLink>
      ))}
    </nav>
  );
}

/** Previous/next pagination for list pages; `hrefFor` builds the link of a page. */
export function Pagination({
  page,
  pageCount,
  total,
  hrefFor,
}: {
  page: number;
  pageCount: number;
  total: number;
  hrefFor: (page: number) => string;
}) {
  const linkClass = "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm text-slate-700 hover:bg-slate-50";
  const disabledClass = "rounded-md border border-slate-200 px-3 py-1.5 text-sm text-slate-300";
  return (
    <nav aria-label="分页" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600">
      <p>
        共 {total} 条，第 {Math.min(page, Math.max(pageCount, 1))} / {Math.max(pageCount, 1)} 页
      </p>
      <div className="flex gap-2">
        {page > 1 ? (
          <Link to={hrefFor(page - 1)} className={linkClass} rel="prev">
            上一页
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled>
            上一页
          </span>
        )}
        {page < pageCount ? (
          <Link to={hrefFor(page + 1)} className={linkClass} rel="next">
            下一页
          </Link>
        ) : (
          <span className={disabledClass} aria-disabled>
            下一页
          </span>
        )}
      </div>
    </nav>
  );
}

/** One line of a `<dl>` of facts: 标签：值. */
export function DetailRow({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="flex gap-2">
      <dt className="shrink-0 text-slate-500">{label}：</dt>
      <dd className="text-slate-800" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/**
 * "‹ 上一级" link above a page title. An outside participant (ADR 024) cannot open the lists above
 * the pages it is invited to: its back link leads to its workbench.
 */
export function BackLink({ to: wanted, label: wantedLabel }: { to: string; label: string }) {
  const shell = useRouteLoaderData<{ external?: string | null }>("routes/_app");
  const [to, label] = shell?.external && !externalMayOpen(wanted) ? ["/", "工作台"] : [wanted, wantedLabel];
  return (
    <Link to={to} className="mb-1 inline-flex items-center text-sm text-slate-500 hover:text-slate-800">
      <ChevronLeft className="h-4 w-4" aria-hidden />
      {label}
    </Link>
  );
}

/** Title block of a page under another one: back link, title, one line of context. */
export function SubpageHeader({
  back,
  title,
  subtitle,
}: {
  back: { to: string; label: string };
  title: ReactNode;
  subtitle?: ReactNode;
}) {
  return (
    <div>
      <BackLink to={back.to} label={back.label} />
      <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
      {subtitle ? <p className="mt-1 text-sm text-slate-500">{subtitle}</p> : null}
    </div>
  );
}

const filterClass =
  "w-full rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm shadow-sm focus:border-brand-600";

/** A labelled select of a GET filter form, with an "all" choice (empty value). */
export function FilterSelect({
  label,
  name,
  value,
  all,
  choices,
  idPrefix = "filter",
}: {
  label: string;
  name: string;
  value: string;
  all: string;
  choices: Array<{ value: string; label: string }>;
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      <select id={id} name={name} defaultValue={value} className={filterClass}>
        <option value="">{all}</option>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled search box of a GET filter form, styled like `FilterSelect` beside it. */
export function FilterInput({
  label,
  name,
  value,
  placeholder,
  maxLength = 50,
  idPrefix = "filter",
}: {
  label: string;
  name: string;
  value: string;
  placeholder?: string;
  maxLength?: number;
  idPrefix?: string;
}) {
  const id = `${idPrefix}-${name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-600">
        {label}
      </label>
      <input
        id={id}
        name={name}
        type="search"
        defaultValue={value}
        maxLength={maxLength}
        placeholder={placeholder}
        className={filterClass}
      />
    </div>
  );
}

/** Whole class names, so the stylesheet keeps them (no inline styles under the CSP). */
const STEP_COLUMNS: Record<number, string> = { 3: "grid-cols-3", 4: "grid-cols-4", 5: "grid-cols-5", 6: "grid-cols-6" };

/**
 * 办理进度: the stages of a record in order, those done ticked and the current one marked
 * (aria-current="step"); `current` is the key of the stage the record is in.
 */
export function ProgressSteps({ steps, current }: { steps: Array<{ key: string; label: string }>; current: string }) {
  const step = steps.findIndex((s) => s.key === current);
  return (
    <ol
      aria-label="办理进度"
      className={cx("grid gap-2 text-center text-xs sm:text-sm", STEP_COLUMNS[steps.length] ?? "grid-cols-6")}
    >
      {steps.map((s, i) => (
        <li
          key={s.key}
          aria-current={i === step ? "step" : undefined}
          className={cx(
            "rounded-md border px-1 py-2",
            i < step
              ? "border-green-200 bg-green-50 text-green-800"
              : i === step
                ? "border-brand-300 bg-brand-50 font-semibold text-brand-800"
                : "border-slate-200 bg-white text-slate-500",
          )}
        >
          {i < step ? <Check className="mr-1 inline h-3.5 w-3.5" aria-hidden /> : null}
          {s.label}
        </li>
      ))}
    </ol>
  );
}
