// Profile and personalization: locale, time zone, date and number format, currency and
// landing view (identity's preferences). Saving re-renders the whole portal with them.
import { useState, type SyntheticEvent } from "react";
import type { PreferenceValues } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { usePresentation } from "../../context";
import { createFormatter, DATE_FORMATS, NUMBER_FORMATS } from "../../format/format";
import { asProblem } from "../../resource";
import { usePerson } from "../../session/person";
import { Field, Select } from "../../ui/Field";
import { ProblemMessage } from "../../ui/states";

const LOCALES = [
  { value: "en-GB", label: "English (United Kingdom)" },
  { value: "en-US", label: "English (United States)" },
  { value: "nl-NL", label: "Nederlands (Nederland)" },
  { value: "de-DE", label: "Deutsch (Deutschland)" },
  { value: "fr-FR", label: "Français (France)" },
  { value: "vi-VN", label: "Tiếng Việt (Việt Nam)" },
];
const LANDING_VIEWS = [
  { value: "portfolio", label: "Portfolio" },
  { value: "trades", label: "Trades" },
  { value: "documents", label: "Documents" },
  { value: "billing", label: "Billing" },
  { value: "usage_targets", label: "Usage and targets" },
  { value: "notifications", label: "Notifications" },
];
const SAMPLE_AMOUNT = "1234567.5";
const SAMPLE_INSTANT = "2026-12-31T23:30:00Z";

function withCurrent(options: { value: string; label: string }[], current: string) {
  return options.some((o) => o.value === current) ? options : [{ value: current, label: current }, ...options];
}

export default function Profile() {
  const { me, name, preferences, savePreferences } = usePerson();
  const { format } = usePresentation();
  const [values, setValues] = useState<PreferenceValues>(preferences.values);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const preview = createFormatter(values);
  const set = (key: keyof PreferenceValues) => (value: string) => {
    setSaved(false);
    setValues((current) => ({ ...current, [key]: value }));
  };

  async function submit(event: SyntheticEvent) {
    event.preventDefault();
    setProblem(null);
    setBusy(true);
    try {
      await savePreferences(values);
      setSaved(true);
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Profile and preferences</h1>
      <dl className="facts">
        <dt>Signed in as</dt>
        <dd>{name}</dd>
        <dt>Accounts</dt>
        <dd>{me.memberships.map((m) => m.account_name).join(", ") || "—"}</dd>
      </dl>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <h2>How numbers and dates look</h2>
        <Select label="Language and region" value={values.locale}
          options={withCurrent(LOCALES, values.locale)} onChange={set("locale")}
          error={problem?.fieldMessage("locale")} />
        <Field label="Time zone" hint="An IANA time zone, e.g. Europe/Amsterdam." value={values.timezone}
          onChange={(e) => { set("timezone")(e.target.value); }} error={problem?.fieldMessage("timezone")} />
        <Select label="Date format" value={values.date_format} options={DATE_FORMATS}
          onChange={set("date_format")} error={problem?.fieldMessage("date_format")} />
        <Select label="Number format" value={values.number_format} options={NUMBER_FORMATS}
          onChange={set("number_format")} error={problem?.fieldMessage("number_format")} />
        <Field label="Currency" hint="ISO 4217 code, e.g. EUR." maxLength={3} value={values.default_currency}
          onChange={(e) => { set("default_currency")(e.target.value.toUpperCase()); }}
          error={problem?.fieldMessage("default_currency")} />
        <Select label="Start page" value={values.landing_view} options={LANDING_VIEWS}
          onChange={set("landing_view")} error={problem?.fieldMessage("landing_view")} />
        <div className="preview" aria-live="polite">
          <h3>Preview</h3>
          <p>
            Amount: <span data-testid="preview-amount">{preview.money(SAMPLE_AMOUNT, values.default_currency)}</span>
            <br />
            Date and time: <span data-testid="preview-datetime">{preview.dateTime(SAMPLE_INSTANT)}</span>
          </p>
        </div>
        <ProblemMessage problem={problem} />
        {saved && <p role="status" className="success">Saved. The portal now shows numbers and dates this way.</p>}
        <button type="submit" disabled={busy}>Save preferences</button>
      </form>
      <p className="muted">
        Now shown as: <span data-testid="current-amount">{format.money(SAMPLE_AMOUNT)}</span>,{" "}
        <span data-testid="current-datetime">{format.dateTime(SAMPLE_INSTANT)}</span>
      </p>
    </section>
  );
}
