// The account's trades: server-side filters and sort (the portfolio API's TradeQuery, kept
// in the address), cursor paging, and the CSV of exactly the filtered list from the API's
// export route.
import { useCallback } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { TradeQuery } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { accountPath } from "../../navigation";
import { Empty, Loaded } from "../../ui/states";
import { CsvExport, FilterForm, FilterInput, FilterSelect, Page, Pager, formValues, setOnly, useCursorPages, useFilters, words } from "./shared";

const FILTERS = ["side", "status", "scheme", "technology", "country", "vintage_from", "vintage_to", "trade_date_from", "trade_date_to", "q", "sort"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
const STATUSES = ["executed", "amended", "partially_delivered", "delivered", "cancelled"] as const;
const SORTS = [
  ["-trade_date", "Newest first"],
  ["trade_date", "Oldest first"],
  ["-volume", "Largest volume first"],
  ["volume", "Smallest volume first"],
] as const;

function query(filters: Filters): Partial<TradeQuery> {
  return setOnly(filters) as Partial<TradeQuery>;
}

function TradeList({ accountId, filters }: { accountId: string; filters: Filters }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.portfolio.GET("/v1/accounts/{account_id}/trades", {
          params: { path: { account_id: accountId }, query: { ...query(filters), limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [api, accountId, filters],
  );
  const { resource, ...paging } = useCursorPages(load);
  return (
    <Loaded resource={resource}>
      {({ items }) =>
        items.length === 0 ? (
          <Empty title="No trades match" />
        ) : (
          <>
            <div className="table-scroll">
              <table data-testid="trades">
                <caption className="visually-hidden">Trades</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Trade date</th>
                    <th scope="col">Side</th>
                    <th scope="col">Status</th>
                    <th scope="col">Scheme</th>
                    <th scope="col">Technology</th>
                    <th scope="col">Vintage</th>
                    <th scope="col" className="number">Volume</th>
                    <th scope="col" className="number">Total</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((trade) => (
                    <tr key={trade.reference}>
                      <th scope="row">
                        <Link to={accountPath(accountId, `trades/${encodeURIComponent(trade.reference)}`)}>{trade.reference}</Link>
                      </th>
                      <td>{format.date(trade.trade_date)}</td>
                      <td>{words(trade.side)}</td>
                      <td>{words(trade.status)}</td>
                      <td>{trade.scheme}</td>
                      <td>{trade.technologies.join(", ")}</td>
                      <td>{trade.vintage_from === trade.vintage_to ? trade.vintage_from : `${trade.vintage_from} – ${trade.vintage_to}`}</td>
                      <td className="number">{format.volume(trade.volume_mwh)}</td>
                      <td className="number">{format.money(trade.total, trade.currency)}</td>
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
  );
}

export default function Trades({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { t } = usePresentation();
  const { values, apply, key } = useFilters(FILTERS);
  return (
    <Page title={t("nav.trades")}>
      <FilterForm
        filtersKey={key}
        onSubmit={(event) => { apply(formValues(event, FILTERS)); }}
        onClear={() => { apply({}); }}
      >
        <FilterInput name="q" label="Reference contains" value={values.q} />
        <FilterSelect name="side" label="Side" value={values.side} options={[["buy", "Buy"], ["sell", "Sell"]]} />
        <FilterSelect name="status" label="Status" value={values.status} options={STATUSES.map((s) => [s, words(s)] as const)} />
        <FilterInput name="scheme" label="Scheme" value={values.scheme} />
        <FilterInput name="technology" label="Technology" value={values.technology} placeholder="e.g. T020001" />
        <FilterInput name="country" label="Country" value={values.country} />
        <FilterInput name="vintage_from" label="Vintage from" value={values.vintage_from} placeholder="YYYY-MM" />
        <FilterInput name="vintage_to" label="Vintage to" value={values.vintage_to} placeholder="YYYY-MM" />
        <FilterInput name="trade_date_from" label="Traded from" value={values.trade_date_from} placeholder="YYYY-MM-DD" />
        <FilterInput name="trade_date_to" label="Traded until" value={values.trade_date_to} placeholder="YYYY-MM-DD" />
        <FilterSelect name="sort" label="Sort" value={values.sort} options={SORTS} />
      </FilterForm>
      <CsvExport
        fileName="trades.csv"
        fetchCsv={() =>
          api.portfolio.GET("/v1/accounts/{account_id}/trades/export", {
            params: { path: { account_id: accountId }, query: query(values) },
            parseAs: "text",
          })
        }
      />
      <TradeList key={key} accountId={accountId} filters={values} />
    </Page>
  );
}
