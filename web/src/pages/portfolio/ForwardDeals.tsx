// Forward deals: what was contracted, what has been delivered and what is still to come.
import { useCallback } from "react";
import { unwrap } from "../../api/client";
import { useServices, usePresentation } from "../../context";
import { Empty, Loaded } from "../../ui/states";
import { Bar, CsvExport, FilterForm, FilterInput, FilterSelect, Page, Pager, formValues, setOnly, useCursorPages, useFilters, words } from "./shared";

const FILTERS = ["side", "scheme"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
type DealQuery = { side?: "buy" | "sell"; scheme?: string };

function DealList({ accountId, filters }: { accountId: string; filters: Filters }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.portfolio.GET("/v1/accounts/{account_id}/forward-deals", {
          params: { path: { account_id: accountId }, query: { ...(setOnly(filters) as DealQuery), limit: 50, ...(cursor ? { cursor } : {}) } },
        }),
      ),
    [api, accountId, filters],
  );
  const { resource, ...paging } = useCursorPages(load);
  return (
    <Loaded resource={resource}>
      {({ items }) =>
        items.length === 0 ? (
          <Empty title="No forward deals" />
        ) : (
          <>
            <div className="table-scroll">
              <table data-testid="forward-deals">
                <caption className="visually-hidden">Forward deals</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Side</th>
                    <th scope="col">Status</th>
                    <th scope="col">Next delivery</th>
                    <th scope="col" className="number">Contracted</th>
                    <th scope="col" className="number">Delivered</th>
                    <th scope="col"><span className="visually-hidden">Delivered share</span></th>
                    <th scope="col" className="number">Outstanding</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((d) => (
                    <tr key={d.reference}>
                      <th scope="row">{d.reference}</th>
                      <td>{words(d.side)}</td>
                      <td>{words(d.status)}</td>
                      <td>{format.date(d.next_delivery_date)}</td>
                      <td className="number">{format.volume(d.contracted_mwh)}</td>
                      <td className="number">{format.volume(d.delivered_mwh)}</td>
                      <td className="bar-cell"><Bar value={Number(d.delivered_mwh)} max={Number(d.contracted_mwh)} /></td>
                      <td className="number">{format.volume(d.outstanding_mwh)}</td>
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

export default function ForwardDeals({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { t } = usePresentation();
  const { values, apply, key } = useFilters(FILTERS);
  return (
    <Page title={t("nav.forwardDeals")}>
      <FilterForm filtersKey={key} onSubmit={(event) => { apply(formValues(event, FILTERS)); }} onClear={() => { apply({}); }}>
        <FilterSelect name="side" label="Side" value={values.side} options={[["buy", "Buy"], ["sell", "Sell"]]} />
        <FilterInput name="scheme" label="Scheme" value={values.scheme} />
      </FilterForm>
      <CsvExport
        fileName="forward-deals.csv"
        fetchCsv={() =>
          api.portfolio.GET("/v1/accounts/{account_id}/forward-deals/export", {
            params: { path: { account_id: accountId }, query: setOnly(values) as DealQuery },
            parseAs: "text",
          })
        }
      />
      <DealList key={key} accountId={accountId} filters={values} />
    </Page>
  );
}
