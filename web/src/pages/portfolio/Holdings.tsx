// Holdings grouped by scheme, registry account, technology, country or vintage; a group
// drills down to its certificate batches (the batches API filtered by the group's key).
import { useCallback, useMemo } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { HoldingKey } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { accountPath } from "../../navigation";
import { useResource } from "../../resource";
import { Empty, Loaded } from "../../ui/states";
import { CsvExport, Page, Pager, useCursorPages, useFilters, words } from "./shared";

const GROUPS = ["scheme", "registry_account", "technology", "country", "vintage"] as const;
type GroupBy = (typeof GROUPS)[number];
const NAMES = ["group_by", ...GROUPS] as const;

function Batches({ accountId, filter }: { accountId: string; filter: Partial<Record<GroupBy, string>> }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.portfolio.GET("/v1/accounts/{account_id}/holdings/batches", {
          params: { path: { account_id: accountId }, query: { ...filter, limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [api, accountId, filter],
  );
  const { resource, ...paging } = useCursorPages(load);
  return (
    <section aria-labelledby="batches-title">
      <h2 id="batches-title">
        Batches: {Object.entries(filter).map(([k, v]) => `${words(k)} ${v}`).join(", ")}
      </h2>
      <CsvExport
        fileName="batches.csv"
        fetchCsv={() =>
          api.portfolio.GET("/v1/accounts/{account_id}/holdings/batches/export", {
            params: { path: { account_id: accountId }, query: filter },
            parseAs: "text",
          })
        }
      />
      <Loaded resource={resource}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty title="No batches" />
          ) : (
            <>
              <div className="table-scroll">
                <table data-testid="batches">
                  <caption className="visually-hidden">Certificate batches</caption>
                  <thead>
                    <tr>
                      <th scope="col">Serials</th>
                      <th scope="col">Movement</th>
                      <th scope="col">Moved on</th>
                      <th scope="col">Device</th>
                      <th scope="col">Vintage</th>
                      <th scope="col" className="number">Quantity</th>
                      <th scope="col">Trade</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((b) => (
                      <tr key={`${b.source_reference}-${b.serial_start}-${b.movement}`}>
                        <th scope="row">{`${b.serial_start}–${b.serial_end}`}</th>
                        <td>{words(b.movement)}</td>
                        <td>{format.date(b.moved_on)}</td>
                        <td>{b.device_code}</td>
                        <td>{b.vintage}</td>
                        <td className="number">{format.number(b.quantity)}</td>
                        <td>{b.trade_reference ?? "—"}</td>
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
    </section>
  );
}

export default function Holdings({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { t, format } = usePresentation();
  const { values, apply } = useFilters(NAMES);
  const groupBy: GroupBy = (GROUPS as readonly string[]).includes(values.group_by) ? (values.group_by as GroupBy) : "scheme";
  const resource = useResource(
    useCallback(
      () =>
        unwrap(
          api.portfolio.GET("/v1/accounts/{account_id}/holdings", {
            params: { path: { account_id: accountId }, query: { group_by: groupBy } },
          }),
        ),
      [api, accountId, groupBy],
    ),
  );
  const filter = useMemo(
    () => Object.fromEntries(GROUPS.filter((g) => values[g]).map((g) => [g, values[g]])) as Partial<Record<GroupBy, string>>,
    [values],
  );
  const drillPath = (key: HoldingKey) => {
    const search = new URLSearchParams({ group_by: groupBy });
    const value = key[groupBy];
    if (value) search.set(groupBy, value);
    return `?${search.toString()}`;
  };
  return (
    <Page title={t("nav.holdings")}>
      <p>
        <Link to={accountPath(accountId, "holdings/reconciliation")}>Reconciliation over a period</Link>
      </p>
      <div className="field inline-field">
        <label htmlFor="group-by">Group by</label>
        <select id="group-by" value={groupBy} onChange={(e) => { apply({ group_by: e.target.value }); }}>
          {GROUPS.map((g) => (
            <option key={g} value={g}>{words(g)}</option>
          ))}
        </select>
      </div>
      <Loaded resource={resource}>
        {({ groups, totals }) =>
          groups.length === 0 ? (
            <Empty title="No certificates held yet" />
          ) : (
            <div className="table-scroll">
              <table data-testid="holdings">
                <caption className="visually-hidden">Holdings by {words(groupBy)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{words(groupBy)}</th>
                    <th scope="col" className="number">Active</th>
                    <th scope="col" className="number">Retired</th>
                    <th scope="col" className="number">Expired</th>
                    <th scope="col" className="number">Contracted, not delivered</th>
                    <th scope="col"><span className="visually-hidden">Batches</span></th>
                  </tr>
                </thead>
                <tbody>
                  {groups.map((g) => (
                    <tr key={g.key[groupBy] ?? "none"}>
                      <th scope="row">{g.key[groupBy] ?? "—"}</th>
                      <td className="number">{format.volume(g.active)}</td>
                      <td className="number">{format.volume(g.retired)}</td>
                      <td className="number">{format.volume(g.expired)}</td>
                      <td className="number">{format.volume(g.contracted_undelivered)}</td>
                      <td>
                        {g.key[groupBy] && (
                          <Link to={drillPath(g.key)}>
                            Batches<span className="visually-hidden"> of {g.key[groupBy]}</span>
                          </Link>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row">Total</th>
                    <td className="number">{format.volume(totals.active)}</td>
                    <td className="number">{format.volume(totals.retired)}</td>
                    <td className="number">{format.volume(totals.expired)}</td>
                    <td className="number">{format.volume(totals.contracted_undelivered)}</td>
                    <td />
                  </tr>
                </tfoot>
              </table>
            </div>
          )
        }
      </Loaded>
      {Object.keys(filter).length > 0 && <Batches key={JSON.stringify(filter)} accountId={accountId} filter={filter} />}
    </Page>
  );
}
