// Holdings reconciliation over a period: per lot, opening + delivered in - delivered out -
// retired = closing, as the portfolio API computes it. The summary says in words whether
// every lot reconciles or names the first lot that does not (and why).
import { useCallback } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { components } from "../../api/generated/portfolio";
import type { HoldingKey } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { accountPath } from "../../navigation";
import { useResource } from "../../resource";
import { Empty, Loaded } from "../../ui/states";
import { FilterForm, FilterInput, Page, formValues, setOnly, useFilters } from "./shared";

type Lot = components["schemas"]["LotFlowItem"];
const FILTERS = ["date_from", "date_to", "scheme", "registry_account"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;

/** A lot named by its dimensions, in a fixed order ("—" for an unknown one). */
export function lotName(key: HoldingKey): string {
  return [key.scheme, key.registry_account, key.technology, key.country, key.vintage].map((v) => v ?? "—").join(" · ");
}

function Summary({ lots, reconciled, first }: { lots: Lot[]; reconciled: boolean; first: Lot | undefined }) {
  const { format } = usePresentation();
  if (reconciled) {
    return (
      <div className="notice notice-ok" role="status" data-testid="reconciliation-summary">
        <strong>Reconciled.</strong> All {format.number(lots.length)} lots add up: opening + delivered in − delivered out − retired = closing.
      </div>
    );
  }
  return (
    <div className="notice notice-problem" role="alert" data-testid="reconciliation-summary">
      <strong>Not reconciled.</strong> First lot that does not add up: <span data-testid="first-unreconciled">{first ? lotName(first.key) : "—"}</span>
      {first?.problem ? ` (${first.problem})` : ""}.
    </div>
  );
}

function Lots({ accountId, filters }: { accountId: string; filters: Filters }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const resource = useResource(
    useCallback(
      () =>
        unwrap(
          api.portfolio.GET("/v1/accounts/{account_id}/holdings/reconciliation", {
            params: { path: { account_id: accountId }, query: setOnly(filters) },
          }),
        ),
      [api, accountId, filters],
    ),
  );
  return (
    <Loaded resource={resource}>
      {({ date_from, date_to, reconciled, lots }) => (
        <>
          <p data-testid="reconciliation-period">
            Period: {date_from ? format.date(date_from) : "since the first movement"} to {format.date(date_to)}
          </p>
          <Summary lots={lots} reconciled={reconciled} first={lots.find((l) => !l.reconciled)} />
          {lots.length === 0 ? (
            <Empty title="No lots in this period" />
          ) : (
            <div className="table-scroll">
              <table data-testid="reconciliation">
                <caption className="visually-hidden">Lots: opening, flows and closing</caption>
                <thead>
                  <tr>
                    <th scope="col">Lot (scheme · registry account · technology · country · vintage)</th>
                    <th scope="col" className="number">Opening</th>
                    <th scope="col" className="number">Delivered in</th>
                    <th scope="col" className="number">Delivered out</th>
                    <th scope="col" className="number">Retired</th>
                    <th scope="col" className="number">Closing</th>
                    <th scope="col">Result</th>
                  </tr>
                </thead>
                <tbody>
                  {lots.map((lot) => (
                    <tr key={lotName(lot.key)} className={lot.reconciled ? undefined : "overdue"} data-reconciled={String(lot.reconciled)}>
                      <th scope="row">{lotName(lot.key)}</th>
                      <td className="number">{format.number(lot.opening)}</td>
                      <td className="number">{format.number(lot.delivered_in)}</td>
                      <td className="number">{format.number(lot.delivered_out)}</td>
                      <td className="number">{format.number(lot.retired)}</td>
                      <td className="number">{format.number(lot.closing)}</td>
                      <td>{lot.reconciled ? "Reconciled" : <strong className="badge badge-overdue">{`Not reconciled${lot.problem ? `: ${lot.problem}` : ""}`}</strong>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Loaded>
  );
}

export default function Reconciliation({ accountId }: { accountId: string }) {
  const { values, apply, key } = useFilters(FILTERS);
  return (
    <Page title="Holdings reconciliation">
      <p>
        <Link to={accountPath(accountId, "holdings")}>Back to holdings</Link>
      </p>
      <p>Certificates per lot (MWh, or Wh for hourly schemes). A lot reconciles when opening + delivered in − delivered out − retired = closing.</p>
      <FilterForm filtersKey={key} onSubmit={(event) => { apply(formValues(event, FILTERS)); }} onClear={() => { apply({}); }}>
        <FilterInput name="date_from" label="From" type="date" value={values.date_from} />
        <FilterInput name="date_to" label="To" type="date" value={values.date_to} />
        <FilterInput name="scheme" label="Scheme" value={values.scheme} />
        <FilterInput name="registry_account" label="Registry account" value={values.registry_account} />
      </FilterForm>
      <Lots key={key} accountId={accountId} filters={values} />
    </Page>
  );
}
