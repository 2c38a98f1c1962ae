// Invoices and credit notes with the account's financials per currency; overdue invoices
// are marked in words (not by colour alone).
import { useCallback } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { Invoice } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { accountPath } from "../../navigation";
import { useResource } from "../../resource";
import { Empty, Loaded } from "../../ui/states";
import { CsvExport, FilterForm, FilterInput, FilterSelect, Page, Pager, formValues, setOnly, useCursorPages, useFilters, words } from "./shared";

const FILTERS = ["state", "document_type", "currency"] as const;
type Filters = Record<(typeof FILTERS)[number], string>;
type InvoiceQuery = { state?: "open" | "paid" | "overdue"; document_type?: "invoice" | "credit_note"; currency?: string };

function query(filters: Filters): InvoiceQuery {
  return setOnly(filters) as InvoiceQuery;
}

function Financials({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { format } = usePresentation();
  const resource = useResource(
    useCallback(
      () => unwrap(api.portfolio.GET("/v1/accounts/{account_id}/financials", { params: { path: { account_id: accountId } } })),
      [api, accountId],
    ),
  );
  return (
    <Loaded resource={resource}>
      {({ currencies }) =>
        currencies.length === 0 ? null : (
          <div className="table-scroll">
            <table data-testid="financials">
              <caption>Financials by currency</caption>
              <thead>
                <tr>
                  <th scope="col">Currency</th>
                  <th scope="col" className="number">Invoiced</th>
                  <th scope="col" className="number">Credited</th>
                  <th scope="col" className="number">Paid</th>
                  <th scope="col" className="number">Outstanding</th>
                  <th scope="col" className="number">Overdue</th>
                </tr>
              </thead>
              <tbody>
                {currencies.map((c) => (
                  <tr key={c.currency}>
                    <th scope="row">{c.currency}</th>
                    <td className="number">{format.money(c.invoiced, c.currency)}</td>
                    <td className="number">{format.money(c.credited, c.currency)}</td>
                    <td className="number">{format.money(c.paid, c.currency)}</td>
                    <td className="number">{format.money(c.outstanding, c.currency)}</td>
                    <td className={c.overdue_count > 0 ? "number overdue" : "number"}>
                      {format.money(c.overdue, c.currency)} ({format.number(c.overdue_count)})
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      }
    </Loaded>
  );
}

function InvoiceRow({ invoice }: { invoice: Invoice }) {
  const { format } = usePresentation();
  const overdue = invoice.status === "overdue";
  return (
    <tr className={overdue ? "overdue" : undefined} data-reference={invoice.reference}>
      <th scope="row">
        <Link to={`${accountPath(invoice.account_id, "invoices")}/${encodeURIComponent(invoice.reference)}`}>{invoice.reference}</Link>
      </th>
      <td>{words(invoice.document_type)}</td>
      <td>{format.date(invoice.issue_date)}</td>
      <td>{format.date(invoice.due_date)}</td>
      <td>{overdue ? <strong className="badge badge-overdue">Overdue</strong> : words(invoice.status)}</td>
      <td className="number">{format.money(invoice.gross_amount, invoice.currency)}</td>
      <td className="number">{format.money(invoice.outstanding_amount, invoice.currency)}</td>
      <td>{invoice.trade_references.join(", ") || "—"}</td>
    </tr>
  );
}

function InvoiceList({ accountId, filters }: { accountId: string; filters: Filters }) {
  const { api } = useServices();
  const load = useCallback(
    (cursor: string | null) =>
      unwrap(
        api.portfolio.GET("/v1/accounts/{account_id}/invoices", {
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
          <Empty title="No invoices match" />
        ) : (
          <>
            <div className="table-scroll">
              <table data-testid="invoices">
                <caption className="visually-hidden">Invoices and credit notes</caption>
                <thead>
                  <tr>
                    <th scope="col">Reference</th>
                    <th scope="col">Type</th>
                    <th scope="col">Issued</th>
                    <th scope="col">Due</th>
                    <th scope="col">Status</th>
                    <th scope="col" className="number">Gross</th>
                    <th scope="col" className="number">Outstanding</th>
                    <th scope="col">Trades</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((invoice) => (
                    <InvoiceRow key={invoice.reference} invoice={invoice} />
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

export default function Invoices({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { t } = usePresentation();
  const { values, apply, key } = useFilters(FILTERS);
  return (
    <Page title={t("nav.invoices")}>
      <Financials accountId={accountId} />
      <h2>Invoices and credit notes</h2>
      <FilterForm filtersKey={key} onSubmit={(event) => { apply(formValues(event, FILTERS)); }} onClear={() => { apply({}); }}>
        <FilterSelect name="state" label="State" value={values.state} options={[["open", "Open"], ["overdue", "Overdue"], ["paid", "Paid"]]} />
        <FilterSelect name="document_type" label="Type" value={values.document_type} options={[["invoice", "Invoice"], ["credit_note", "Credit note"]]} />
        <FilterInput name="currency" label="Currency" value={values.currency} placeholder="e.g. EUR" />
      </FilterForm>
      <CsvExport
        fileName="invoices.csv"
        fetchCsv={() =>
          api.portfolio.GET("/v1/accounts/{account_id}/invoices/export", {
            params: { path: { account_id: accountId }, query: query(values) },
            parseAs: "text",
          })
        }
      />
      <InvoiceList key={key} accountId={accountId} filters={values} />
    </Page>
  );
}
