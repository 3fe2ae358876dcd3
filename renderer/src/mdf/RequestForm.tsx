import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { OpOutput } from '../../../core/contracts/api.ts';
import type { EvaluationView, FieldProblem, MdfDraftInput, ProgramView, StagedAttachment } from '../../../core/contracts/mdf-api.ts';
import { ATTACHMENT_KINDS } from '../../../core/mdf/model.ts';
import { call } from '../api/client.ts';
import { describe } from '../api/messages.ts';
import { useApp } from '../app/context.ts';
import { ErrorBox } from '../app/ErrorBox.tsx';
import { fileToBase64 } from '../app/files.ts';
import { formatMoney, KIND_TEXT, parseCount, parseMoney, shareText, sizeText } from './format.ts';
import { RulesCheck } from './shared.tsx';

type Submitted = OpOutput<'mdf:submit'>;
type Export = OpOutput<'mdf:exports'>[number];
type Kind = (typeof ATTACHMENT_KINDS)[number];

/** How long typing must pause before the draft is checked again. */
const DEBOUNCE_MS = 250;

interface FormState {
  activityType: string;
  title: string;
  startDate: string;
  endDate: string;
  budget: string;
  total: string;
  leads: string;
  pipeline: string;
  audience: string;
  description: string;
  attachments: StagedAttachment[];
}

type Field = Exclude<keyof MdfDraftInput, 'program'>;

const LABELS: Record<Field, string> = {
  activityType: 'Activity type',
  title: 'Title',
  startDate: 'Start date',
  endDate: 'End date',
  budgetRequested: 'Budget requested',
  totalCost: 'Total cost',
  expectedLeads: 'Expected leads',
  expectedPipeline: 'Expected pipeline',
  audience: 'Audience',
  description: 'Description',
  attachments: 'Attachments',
};
const FIELDS = Object.keys(LABELS) as Field[];

const EMPTY: FormState = { activityType: '', title: '', startDate: '', endDate: '', budget: '', total: '', leads: '', pipeline: '', audience: '', description: '', attachments: [] };

/** The draft the backend checks, and the problems found before it gets there (amounts that are not amounts). */
function toDraft(program: string, f: FormState): { draft: MdfDraftInput; local: Map<string, string> } {
  const local = new Map<string, string>();
  const budget = parseMoney(f.budget);
  const total = parseMoney(f.total);
  const pipeline = parseMoney(f.pipeline);
  const leads = parseCount(f.leads);
  if (budget.error) local.set('budgetRequested', budget.error);
  if (total.error) local.set('totalCost', total.error);
  if (pipeline.error) local.set('expectedPipeline', pipeline.error);
  if (leads.error) local.set('expectedLeads', leads.error);
  return {
    draft: {
      program,
      activityType: f.activityType,
      title: f.title,
      startDate: f.startDate,
      endDate: f.endDate,
      budgetRequested: budget.cents,
      totalCost: total.cents,
      expectedLeads: leads.value,
      expectedPipeline: pipeline.cents,
      audience: f.audience,
      description: f.description,
      attachments: f.attachments,
    },
    local,
  };
}

/** A field's problem shows once the partner has been in that field (or asked to see them all). */
function useTouched() {
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const touch = (field: string) => setTouched((t) => (t.has(field) ? t : new Set(t).add(field)));
  return { touched, touch, setTouched };
}

/** "Title is required" from "is required"; a message that is a sentence already stays as it is. */
const sentence = (label: string, message: string) => (/^[a-z]/.test(message) ? `${label} ${message}` : message);

function FieldRow({ id, label, name = label, problem, children, hint, wide }: { id: string; label: string; name?: string; problem: string | undefined; children: ReactNode; hint?: ReactNode; wide?: boolean }) {
  return (
    <div className={`mdf-field${wide ? ' span-2' : ''}${problem ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint}
      {problem && (
        <p className="field-problem" id={`${id}-problem`} data-testid={`${id}-problem`}>
          {sentence(name, problem)}
        </p>
      )}
    </div>
  );
}

/**
 * The partner's MDF request form (issue #8): checked as it is typed (field
 * problems next to each field, and the program's veto rules, the same the
 * reviewer's Lockup applies, in the Rules check panel); Send writes the
 * request packet.
 */
export function RequestForm({ programs, onSent }: { programs: ProgramView[]; onSent: (result: Submitted) => void }) {
  const { api } = useApp();
  const [programId, setProgramId] = useState(programs[0]!.program.id);
  const view = programs.find((p) => p.program.id === programId) ?? programs[0]!;
  const currency = view.program.currency;
  const [form, setForm] = useState<FormState>(EMPTY);
  const { touched, touch, setTouched } = useTouched();
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [evaluation, setEvaluation] = useState<EvaluationView | null>(null);
  const [checking, setChecking] = useState(true);
  const [checkError, setCheckError] = useState<ReturnType<typeof describe>>();
  const [sending, setSending] = useState(false);
  const [sendError, setSendError] = useState<ReturnType<typeof describe>>();
  const [exports, setExports] = useState<Export[]>();
  const [exportPick, setExportPick] = useState('');
  const [uploadKind, setUploadKind] = useState<Kind>('agenda');
  const [attaching, setAttaching] = useState(false);
  const [attachError, setAttachError] = useState<ReturnType<typeof describe>>();
  const seq = useRef(0);

  const { draft, local } = useMemo(() => toDraft(programId, form), [programId, form]);
  const draftKey = JSON.stringify(draft);

  // Checked again once typing pauses; an answer to an older draft is dropped.
  useEffect(() => {
    const n = ++seq.current;
    setChecking(true);
    const timer = setTimeout(() => {
      call(api, 'mdf:evaluate', { draft: JSON.parse(draftKey) as MdfDraftInput })
        .then((r) => {
          if (n !== seq.current) return;
          setProblems(r.problems);
          setEvaluation(r.evaluation);
          setCheckError(undefined);
        })
        .catch((err) => n === seq.current && setCheckError(describe(err)))
        .finally(() => n === seq.current && setChecking(false));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [api, draftKey]);

  useEffect(() => {
    call(api, 'mdf:exports', {})
      .then((list) => {
        setExports(list);
        setExportPick((p) => p || list[0]?.path || '');
      })
      .catch(() => setExports([]));
  }, [api]);

  /** Every field's problem: the form's own (amounts) first, then the backend's. */
  const problemOf = useMemo(() => {
    const m = new Map<string, string>(local);
    for (const p of problems) if (!m.has(p.field)) m.set(p.field, p.message);
    return m;
  }, [local, problems]);
  const shown = (field: Field) => (touched.has(field) ? problemOf.get(field) : undefined);

  const set = <K extends keyof FormState>(key: K, value: FormState[K], field: Field) => {
    setForm((f) => ({ ...f, [key]: value }));
    touch(field);
    setSendError(undefined);
  };
  const text = (key: Exclude<keyof FormState, 'attachments'>, field: Field) => ({
    value: form[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value, field),
    onBlur: () => touch(field),
    'aria-invalid': shown(field) ? true : undefined,
    'aria-describedby': shown(field) ? `mdf-${field}-problem` : undefined,
  });

  const addAttachment = async (run: () => Promise<StagedAttachment>) => {
    setAttaching(true);
    setAttachError(undefined);
    try {
      const a = await run();
      setForm((f) => ({ ...f, attachments: [...f.attachments.filter((x) => !(x.sha256 === a.sha256 && x.kind === a.kind)), a] }));
      touch('attachments');
    } catch (err) {
      setAttachError(describe(err));
    } finally {
      setAttaching(false);
    }
  };
  const attachExport = () => exportPick && void addAttachment(() => call(api, 'mdf:attach', { kind: 'collateral', export: exportPick }));
  const attachFile = (file: File) => void addAttachment(async () => call(api, 'mdf:attach', { kind: uploadKind, name: file.name, data: await fileToBase64(file) }));
  const remove = (a: StagedAttachment) => {
    setForm((f) => ({ ...f, attachments: f.attachments.filter((x) => x !== a) }));
    touch('attachments');
  };

  const fieldProblems = FIELDS.filter((f) => problemOf.has(f));
  const otherProblems = [...problemOf.keys()].filter((k) => !FIELDS.includes(k as Field));
  const breaches = evaluation?.breaches.length ?? 0;
  const settled = !checking && !checkError;
  const blocked =
    checkError !== undefined
      ? 'The request could not be checked; see the message above.'
      : !settled
        ? 'Checking the request…'
        : fieldProblems.length + otherProblems.length > 0
          ? `Fix ${fieldProblems.length + otherProblems.length === 1 ? 'this field' : 'these fields'} first: ${[...fieldProblems.map((f) => LABELS[f]), ...otherProblems].join(', ')}.`
          : !evaluation
            ? 'The request is not complete yet.'
            : breaches > 0
              ? `The request breaks ${breaches === 1 ? 'a rule' : `${breaches} rules`} and would be vetoed: change it so it breaks none.`
              : undefined;

  const send = async () => {
    if (blocked) return;
    setSending(true);
    setSendError(undefined);
    try {
      onSent(await call(api, 'mdf:submit', { draft, path: null }));
    } catch (err) {
      const d = describe(err);
      if (d.code !== 'cancelled') setSendError(d);
    } finally {
      setSending(false);
    }
  };

  const budget = parseMoney(form.budget).cents;
  const total = parseMoney(form.total).cents;
  const share = shareText(budget, total);
  const money = (field: 'budget' | 'total' | 'pipeline', key: Field, id: string, label: string, extra?: ReactNode) => (
    <FieldRow id={id} label={`${label} (${currency})`} name={label} problem={shown(key)} hint={extra}>
      <input id={id} type="text" inputMode="decimal" autoComplete="off" placeholder="0.00" {...text(field, key)} />
    </FieldRow>
  );

  return (
    <div className="mdf-compose">
      <form
        className="mdf-form"
        aria-labelledby="mdf-form-title"
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
        noValidate
      >
        <h2 id="mdf-form-title">New request</h2>
        <p className="muted small">
          {view.brandName} · {view.program.name}
          {view.partnerTier ? ` · ${view.tiers.find((t) => t.id === view.partnerTier)?.name ?? view.partnerTier} partner` : ' · no partner tier set'}
          {view.quarterLimit !== null ? ` · up to ${formatMoney(view.quarterLimit, currency)} per quarter` : ''}
        </p>
        <div className="grid-2">
          {programs.length > 1 && (
            <div className="mdf-field span-2">
              <label htmlFor="mdf-program">Program</label>
              <select
                id="mdf-program"
                value={programId}
                onChange={(e) => {
                  setProgramId(e.target.value);
                  setForm((f) => ({ ...f, activityType: '' }));
                }}
              >
                {programs.map((p) => (
                  <option key={p.program.id} value={p.program.id}>
                    {p.brandName}: {p.program.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <FieldRow id="mdf-activityType" label="Activity type" problem={shown('activityType')}>
            <select id="mdf-activityType" {...text('activityType', 'activityType')}>
              <option value="">Choose…</option>
              {view.program.activityTypes.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          </FieldRow>
          <FieldRow id="mdf-title" label="Title" problem={shown('title')}>
            <input id="mdf-title" type="text" maxLength={400} {...text('title', 'title')} />
          </FieldRow>
          <FieldRow id="mdf-startDate" label="Start date" problem={shown('startDate')}>
            <input id="mdf-startDate" type="date" {...text('startDate', 'startDate')} />
          </FieldRow>
          <FieldRow id="mdf-endDate" label="End date" problem={shown('endDate')}>
            <input id="mdf-endDate" type="date" {...text('endDate', 'endDate')} />
          </FieldRow>
          {money('budget', 'budgetRequested', 'mdf-budgetRequested', 'Budget requested')}
          {money(
            'total',
            'totalCost',
            'mdf-totalCost',
            'Total cost',
            <p className="muted small">
              Your share of the cost:{' '}
              <output htmlFor="mdf-budgetRequested mdf-totalCost" data-testid="mdf-share">
                {share ?? '—'}
              </output>
            </p>,
          )}
          <FieldRow id="mdf-expectedLeads" label="Expected leads" problem={shown('expectedLeads')}>
            <input id="mdf-expectedLeads" type="text" inputMode="numeric" autoComplete="off" {...text('leads', 'expectedLeads')} />
          </FieldRow>
          {money('pipeline', 'expectedPipeline', 'mdf-expectedPipeline', 'Expected pipeline')}
          <FieldRow id="mdf-audience" label="Audience" problem={shown('audience')} wide>
            <textarea id="mdf-audience" rows={2} maxLength={2000} {...text('audience', 'audience')} />
          </FieldRow>
          <FieldRow id="mdf-description" label="Description" problem={shown('description')} wide>
            <textarea id="mdf-description" rows={5} maxLength={20_000} {...text('description', 'description')} />
          </FieldRow>
        </div>

        <fieldset className="mdf-attachments" aria-describedby={shown('attachments') ? 'mdf-attachments-problem' : undefined}>
          <legend>Attachments</legend>
          {form.attachments.length === 0 ? (
            <p className="muted small">No attachments yet.</p>
          ) : (
            <ul className="mdf-attached" aria-label="Attached files">
              {form.attachments.map((a) => (
                <li key={`${a.kind}-${a.sha256}`}>
                  <span>
                    <strong>{a.name}</strong> <span className="muted small">· {KIND_TEXT[a.kind]} · {sizeText(a.size)}</span>
                  </span>
                  <button type="button" className="link" onClick={() => remove(a)} aria-label={`Remove ${a.name}`}>
                    Remove
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="mdf-attach-row">
            <div className="mdf-field">
              {exports && exports.length === 0 ? (
                <>
                  <span className="mdf-label">Collateral exported from Lockup</span>
                  <p className="muted small" data-testid="mdf-no-exports">
                    None yet: export a co-branded PDF from a template first.
                  </p>
                </>
              ) : (
                <>
                  <label htmlFor="mdf-export">Collateral exported from Lockup</label>
                  <div className="row">
                    <select id="mdf-export" value={exportPick} onChange={(e) => setExportPick(e.target.value)} disabled={!exports}>
                      {exports?.map((x) => (
                        <option key={x.path} value={x.path}>
                          {x.fileName} ({x.templateName})
                        </option>
                      ))}
                    </select>
                    <button type="button" onClick={attachExport} disabled={!exportPick || attaching}>
                      Attach collateral
                    </button>
                  </div>
                </>
              )}
            </div>
            <div className="mdf-field">
              <label htmlFor="mdf-upload-kind">Kind of file to upload</label>
              <div className="row">
                <select id="mdf-upload-kind" value={uploadKind} onChange={(e) => setUploadKind(e.target.value as Kind)}>
                  {ATTACHMENT_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {KIND_TEXT[k]}
                    </option>
                  ))}
                </select>
                <label className={`file-button${attaching ? ' disabled' : ''}`}>
                  Upload a file…
                  <input
                    type="file"
                    className="sr-only"
                    aria-label="Upload a file"
                    disabled={attaching}
                    onChange={(e) => {
                      const file = e.target.files?.[0];
                      e.target.value = '';
                      if (file) attachFile(file);
                    }}
                  />
                </label>
              </div>
            </div>
          </div>
          {attaching && (
            <p role="status" className="muted small">
              Attaching…
            </p>
          )}
          <ErrorBox error={attachError} />
          {shown('attachments') && (
            <p className="field-problem" id="mdf-attachments-problem" data-testid="mdf-attachments-problem">
              {sentence('Attachments', problemOf.get('attachments')!)}
            </p>
          )}
        </fieldset>

        <ErrorBox error={checkError} />
        <ErrorBox error={sendError} />
        <div className="mdf-send">
          <p id="mdf-send-why" className={blocked ? 'muted small' : 'ok small'} data-testid="mdf-send-why">
            {blocked ?? 'Ready to send: the request packet is written to your export folder.'}
          </p>
          {blocked && fieldProblems.some((f) => !touched.has(f)) && (
            <button type="button" className="link" onClick={() => setTouched(new Set(FIELDS))}>
              Show what to fix
            </button>
          )}
          <button type="submit" className="primary" disabled={Boolean(blocked) || sending} aria-describedby="mdf-send-why" aria-busy={sending}>
            {sending ? 'Sending…' : 'Send request'}
          </button>
        </div>
      </form>
      <RulesCheck evaluation={evaluation} checking={checking} budget={budget} currency={currency} incomplete={fieldProblems.length > 0} autoApproveUpTo={view.program.autoApproveUpTo} />
    </div>
  );
}
