// Usage and targets: coverage of consumption by retirements per year, and the account's
// net-zero targets. People with usage_targets:manage edit a target (or add one); the API
// validates and its error body's `fields` are shown at each field. Others only read. The
// consumption records below work the same way (`Consumption.tsx`).
import { useCallback, useState, type SyntheticEvent } from "react";
import { unwrap } from "../../api/client";
import type { Target, TargetInput } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { can, membership } from "../../navigation";
import { asProblem, useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Field } from "../../ui/Field";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";
import { Consumption } from "./Consumption";
import { Page, fieldText } from "./shared";

const NEW_TARGET: Target = {
  target_id: "",
  name: "",
  kind: "renewable_share",
  base_year: new Date().getFullYear(),
  base_renewable_share_percent: "0",
  target_year: new Date().getFullYear() + 5,
  target_renewable_share_percent: "100",
  milestones: [],
  net_zero_date: null,
  updated_at: null,
  updated_by: null,
  updated_by_email: null,
};

function newTargetId(): string {
  return `target-${crypto.randomUUID().slice(0, 8)}`;
}

function TargetForm({ accountId, target, onDone, onCancel }: { accountId: string; target: Target; onDone: () => void; onCancel: () => void }) {
  const { api } = useServices();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  // chosen once per form: a retry after a lost answer updates the target it made
  const [targetId] = useState(() => target.target_id || newTargetId());
  const error = (name: string) => problem?.fieldMessage(name);

  async function submit(event: SyntheticEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => fieldText(data, name).trim();
    const body: TargetInput = {
      name: text("name"),
      kind: target.kind,
      base_year: Number(text("base_year")),
      base_renewable_share_percent: text("base_renewable_share_percent"),
      target_year: Number(text("target_year")),
      target_renewable_share_percent: text("target_renewable_share_percent"),
      net_zero_date: text("net_zero_date") || null,
      milestones: target.milestones,
    };
    setBusy(true);
    setProblem(null);
    try {
      await unwrap(
        api.portfolio.PUT("/v1/accounts/{account_id}/usage/targets/{target_id}", {
          params: { path: { account_id: accountId, target_id: targetId } },
          body,
        }),
      );
      onDone();
    } catch (failure) {
      setProblem(asProblem(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="target-form" aria-label={target.target_id ? `Edit ${target.name}` : "New target"} onSubmit={(e) => void submit(e)} noValidate>
      <ProblemMessage problem={problem} />
      <Field label="Name" name="name" defaultValue={target.name} error={error("name")} />
      <Field label="Base year" name="base_year" inputMode="numeric" defaultValue={String(target.base_year)} error={error("base_year")} />
      <Field label="Renewable share in the base year (%)" name="base_renewable_share_percent" inputMode="decimal" defaultValue={target.base_renewable_share_percent} error={error("base_renewable_share_percent")} />
      <Field label="Target year" name="target_year" inputMode="numeric" defaultValue={String(target.target_year)} error={error("target_year")} />
      <Field label="Target renewable share (%)" name="target_renewable_share_percent" inputMode="decimal" defaultValue={target.target_renewable_share_percent} error={error("target_renewable_share_percent")} />
      <Field label="Net-zero date" name="net_zero_date" hint="YYYY-MM-DD, optional" defaultValue={target.net_zero_date ?? ""} error={error("net_zero_date")} />
      <div className="form-actions">
        <button type="submit" disabled={busy}>Save target</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

export default function Usage({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { me } = usePerson();
  const { t, format } = usePresentation();
  const manage = can(membership(me, accountId), "usage_targets:manage");
  const [editing, setEditing] = useState<Target | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const resource = useResource(
    useCallback(
      () => unwrap(api.portfolio.GET("/v1/accounts/{account_id}/usage", { params: { path: { account_id: accountId } } })),
      [api, accountId],
    ),
  );
  return (
    <Page title={t("nav.usage")}>
      {status && <p role="status" className="success">{status}</p>}
      <Loaded resource={resource}>
        {({ coverage, targets }) => (
          <>
            <h2>Coverage</h2>
            {coverage.length === 0 ? (
              <p>No consumption recorded yet.</p>
            ) : (
              <div className="table-scroll">
                <table data-testid="coverage">
                  <caption className="visually-hidden">Coverage per year</caption>
                  <thead>
                    <tr>
                      <th scope="col">Year</th>
                      <th scope="col" className="number">Consumption</th>
                      <th scope="col" className="number">Retired</th>
                      <th scope="col" className="number">Coverage</th>
                    </tr>
                  </thead>
                  <tbody>
                    {coverage.map((c) => (
                      <tr key={c.year}>
                        <th scope="row">{c.year}</th>
                        <td className="number">{format.volume(c.consumption_mwh)}</td>
                        <td className="number">{format.volume(c.retired_mwh)}</td>
                        <td className="number">{c.coverage_percent === null ? "—" : `${format.number(c.coverage_percent)} %`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <h2>Targets</h2>
            {targets.length === 0 && <Empty title="No targets yet" />}
            {targets.length > 0 && (
              <div className="table-scroll">
                <table data-testid="targets">
                  <caption className="visually-hidden">Targets</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">Base</th>
                      <th scope="col">Target</th>
                      <th scope="col">Net zero</th>
                      {manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}
                    </tr>
                  </thead>
                  <tbody>
                    {targets.map((target) => (
                      <tr key={target.target_id}>
                        <th scope="row">{target.name}</th>
                        <td>{`${format.number(target.base_renewable_share_percent)} % (${target.base_year})`}</td>
                        <td>{`${format.number(target.target_renewable_share_percent)} % (${target.target_year})`}</td>
                        <td>{format.date(target.net_zero_date)}</td>
                        {manage && (
                          <td>
                            <button type="button" className="secondary" onClick={() => { setStatus(null); setEditing(target); }}>
                              Edit<span className="visually-hidden"> {target.name}</span>
                            </button>
                          </td>
                        )}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {manage && !editing && (
              <button type="button" onClick={() => { setStatus(null); setEditing(NEW_TARGET); }}>
                Add a target
              </button>
            )}
            {manage && editing && (
              <TargetForm
                key={editing.target_id || "new"}
                accountId={accountId}
                target={editing}
                onCancel={() => { setEditing(null); }}
                onDone={() => {
                  setEditing(null);
                  setStatus("The target was saved.");
                  resource.reload();
                }}
              />
            )}
          </>
        )}
      </Loaded>
      <Consumption accountId={accountId} manage={manage} onChanged={resource.reload} />
    </Page>
  );
}
