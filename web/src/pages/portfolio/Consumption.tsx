// The account's consumption records (site x period), paged; people with
// usage_targets:manage edit one (PUT, the API's field errors at each field), add one or delete
// one (asked to confirm in the page). Others only read: no edit controls at all.
import { useCallback, useState, type SyntheticEvent } from "react";
import { unwrap } from "../../api/client";
import type { components } from "../../api/generated/portfolio";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { asProblem } from "../../resource";
import { Field, Select } from "../../ui/Field";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";
import { Pager, fieldText, useCursorPages, words } from "./shared";

type Record = components["schemas"]["ConsumptionItem"];
type Source = Record["source"];
const SOURCES: readonly Source[] = ["meter", "bill", "estimate"];
const NEW: Record = {
  site_id: "",
  site_name: "",
  country: "",
  period_start: "",
  period_end: "",
  consumption_mwh: "",
  source: "meter",
  updated_at: null,
  updated_by: null,
  updated_by_email: null,
};

function path(accountId: string, record: { site_id: string; period_start: string }) {
  return { params: { path: { account_id: accountId, site_id: record.site_id, period_start: record.period_start } } };
}

function ConsumptionForm({ accountId, record, onDone, onCancel }: { accountId: string; record: Record; onDone: (message: string) => void; onCancel: () => void }) {
  const { api } = useServices();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [source, setSource] = useState<Source>(record.source);
  const adding = record.site_id === "";
  const error = (name: string) => problem?.fieldMessage(name);

  async function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => fieldText(data, name).trim();
    const key = adding ? { site_id: text("site_id"), period_start: text("period_start") } : record;
    setBusy(true);
    setProblem(null);
    try {
      await unwrap(
        api.portfolio.PUT("/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}", {
          ...path(accountId, key),
          body: { site_name: text("site_name"), country: text("country"), period_end: text("period_end"), consumption_mwh: text("consumption_mwh"), source },
        }),
      );
      onDone(`The consumption of ${key.site_id} from ${key.period_start} was saved.`);
    } catch (failure) {
      setProblem(asProblem(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="target-form" aria-label={adding ? "New consumption record" : `Edit consumption of ${record.site_name} from ${record.period_start}`} onSubmit={(e) => void submit(e)} noValidate>
      <ProblemMessage problem={problem} />
      {adding && (
        <>
          <Field label="Site id" name="site_id" hint="Letters, digits, - and _" error={error("site_id")} />
          <Field label="Period start" name="period_start" type="date" error={error("period_start")} />
        </>
      )}
      <Field label="Site name" name="site_name" defaultValue={record.site_name} error={error("site_name")} />
      <Field label="Country" name="country" hint="ISO code, e.g. NL or US-CA" defaultValue={record.country} error={error("country")} />
      <Field label="Period end (first day after)" name="period_end" type="date" defaultValue={record.period_end} error={error("period_end")} />
      <Field label="Consumption (MWh)" name="consumption_mwh" inputMode="decimal" defaultValue={record.consumption_mwh} error={error("consumption_mwh")} />
      <Select label="Source" value={source} options={SOURCES.map((s) => ({ value: s, label: words(s) }))} onChange={(v) => { setSource(v as Source); }} error={error("source")} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>Save consumption</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export function Consumption({ accountId, manage, onChanged }: { accountId: string; manage: boolean; onChanged: () => void }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const [editing, setEditing] = useState<Record | null>(null);
  const [deleting, setDeleting] = useState<Record | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.portfolio.GET("/v1/accounts/{account_id}/usage/consumption", {
          params: { path: { account_id: accountId }, query: { limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [api, accountId],
  );
  const { resource, ...paging } = useCursorPages(load);
  const changed = (message: string) => {
    setEditing(null);
    setDeleting(null);
    setStatus(message);
    resource.reload();
    onChanged();
  };
  async function remove(record: Record) {
    setProblem(null);
    try {
      await unwrap(api.portfolio.DELETE("/v1/accounts/{account_id}/usage/consumption/{site_id}/{period_start}", path(accountId, record)));
      changed(`The consumption of ${record.site_id} from ${record.period_start} was deleted.`);
    } catch (failure) {
      setProblem(asProblem(failure));
    }
  }
  const label = (r: Record) => `${r.site_name} from ${format.date(r.period_start)}`;

  return (
    <section aria-labelledby="consumption-title">
      <h2 id="consumption-title">Consumption records</h2>
      <div aria-live="polite">{status && <p role="status" className="success" data-testid="consumption-status">{status}</p>}</div>
      <ProblemMessage problem={problem} />
      {deleting && (
        <div className="notice" role="alertdialog" aria-labelledby="delete-question">
          <p id="delete-question">Delete the consumption of {label(deleting)}?</p>
          <div className="form-actions">
            <button type="button" onClick={() => void remove(deleting)}>Delete it</button>
            <button type="button" className="secondary" onClick={() => { setDeleting(null); }}>Keep it</button>
          </div>
        </div>
      )}
      <Loaded resource={resource}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="No consumption records" />
          ) : (
            <>
              <div className="table-scroll">
                <table data-testid="consumption">
                  <caption className="visually-hidden">Consumption records</caption>
                  <thead>
                    <tr>
                      <th scope="col">Site</th>
                      <th scope="col">Period</th>
                      <th scope="col">Country</th>
                      <th scope="col">Source</th>
                      <th scope="col" className="number">Consumption</th>
                      <th scope="col">Last changed</th>
                      {manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((r) => (
                      <tr key={`${r.site_id}/${r.period_start}`} data-key={`${r.site_id}/${r.period_start}`}>
                        <th scope="row">{r.site_name}</th>
                        <td>{`${format.date(r.period_start)} – ${format.date(r.period_end)}`}</td>
                        <td>{r.country}</td>
                        <td>{words(r.source)}</td>
                        <td className="number">{format.volume(r.consumption_mwh)}</td>
                        <td>{r.updated_at ? `${format.dateTime(r.updated_at)}${r.updated_by_email ? ` by ${r.updated_by_email}` : ""}` : "–"}</td>
                        {manage && (
                          <td className="row-actions">
                            <button type="button" className="secondary" onClick={() => { setStatus(null); setDeleting(null); setEditing(r); }}>
                              Edit<span className="visually-hidden"> {label(r)}</span>
                            </button>{" "}
                            <button type="button" className="secondary" onClick={() => { setStatus(null); setEditing(null); setDeleting(r); }}>
                              Delete<span className="visually-hidden"> {label(r)}</span>
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager {...paging} />
            </>
          )
        }
      </Loaded>
      {manage && !editing && (
        <button type="button" onClick={() => { setStatus(null); setDeleting(null); setEditing(NEW); }}>
          Add a consumption record
        </button>
      )}
      {manage && editing && (
        <ConsumptionForm
          key={editing.site_id ? `${editing.site_id}/${editing.period_start}` : "new"}
          accountId={accountId}
          record={editing}
          onCancel={() => { setEditing(null); }}
          onDone={changed}
        />
      )}
    </section>
  );
}
