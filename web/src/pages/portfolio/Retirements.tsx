// Retirements (redemptions) of certificates for consumption: for whom, which period and
// country, how much, with the registry's transaction reference.
import { useCallback } from "react";
import { unwrap } from "../../api/client";
import { useServices, usePresentation } from "../../context";
import { Empty, Loaded } from "../../ui/states";
import { CsvExport, FilterForm, FilterInput, Page, Pager, formValues, setOnly, useCursorPages, useFilters } from "./shared";

const FILTERS = ["reporting_year", "consumption_country", "scheme"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
type RetirementQuery = { reporting_year?: number; consumption_country?: string; scheme?: string };

function query(filters: Filters): RetirementQuery {
  const { reporting_year, ...rest } = setOnly(filters);
  const year = Number(reporting_year);
  return { ...rest, ...(reporting_year && Number.isInteger(year) ? { reporting_year: year } : {}) };
}

function RetirementList({ accountId, filters }: { accountId: string; filters: Filters }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.portfolio.GET("/v1/accounts/{account_id}/retirements", {
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
          <Empty title="No retirements match" />
        ) : (
          <>
            <div className="table-scroll">
              <table data-testid="retirements">
                <caption className="visually-hidden">Retirements</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Retired on</th>
                    <th scope="col">Beneficiary</th>
                    <th scope="col">Consumption period</th>
                    <th scope="col">Country</th>
                    <th scope="col">Reporting year</th>
                    <th scope="col" className="number">Volume</th>
                    <th scope="col">Registry transaction</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((r) => (
                    <tr key={r.reference}>
                      <th scope="row">{r.reference}</th>
                      <td>{format.date(r.retired_on)}</td>
                      <td>{r.beneficiary_name}</td>
                      <td>{`${format.date(r.consumption_period_start)} – ${format.date(r.consumption_period_end)}`}</td>
                      <td>{r.consumption_country}</td>
                      <td>{r.reporting_year}</td>
                      <td className="number">{format.volume(r.volume_mwh)}</td>
                      <td>{r.registry_transaction_reference}</td>
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

export default function Retirements({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { t } = usePresentation();
  const { values, apply, key } = useFilters(FILTERS);
  return (
    <Page title={t("nav.retirements")}>
      <FilterForm filtersKey={key} onSubmit={(event) => { apply(formValues(event, FILTERS)); }} onClear={() => { apply({}); }}>
        <FilterInput name="reporting_year" label="Reporting year" value={values.reporting_year} placeholder="YYYY" />
        <FilterInput name="consumption_country" label="Consumption country" value={values.consumption_country} />
        <FilterInput name="scheme" label="Scheme" value={values.scheme} />
      </FilterForm>
      <CsvExport
        fileName="retirements.csv"
        fetchCsv={() =>
          api.portfolio.GET("/v1/accounts/{account_id}/retirements/export", {
            params: { path: { account_id: accountId }, query: query(values) },
            parseAs: "text",
          })
        }
      />
      <RetirementList key={key} accountId={accountId} filters={values} />
    </Page>
  );
}
