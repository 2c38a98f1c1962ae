// One invoice or credit note: amounts, lines, payments and the trades it bills (linked where
// the person may read trades). Where an invoice notification leads.
import { useCallback } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import { useServices, usePresentation } from "../../context";
import { accountPath, mayOpen } from "../../navigation";
import { useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Loaded } from "../../ui/states";
import { Page, words } from "./shared";

export default function InvoiceDetail({ accountId }: { accountId: string }) {
  const { reference = "" } = useParams();
  const { api } = useServices();
  const { me } = usePerson();
  const { format } = usePresentation();
  const resource = useResource(
    useCallback(
      () =>
        unwrap(
          api.portfolio.GET("/v1/accounts/{account_id}/invoices/{reference}", {
            params: { path: { account_id: accountId, reference } },
          }),
        ),
      [api, accountId, reference],
    ),
  );
  const trades = mayOpen(me, accountId, "trades");
  return (
    <Page title={`Invoice ${reference}`}>
      <p>
        <Link to={accountPath(accountId, "invoices")}>Back to invoices</Link>
      </p>
      <Loaded resource={resource}>
        {(invoice) => {
          const money = (amount: string) => format.money(amount, invoice.currency);
          return (
            <>
              <dl className="facts" data-testid="invoice-facts">
                <dt>Type</dt>
                <dd>{words(invoice.document_type)}</dd>
                <dt>Status</dt>
                <dd>{invoice.status === "overdue" ? <strong className="badge badge-overdue">Overdue</strong> : words(invoice.status)}</dd>
                <dt>Issued</dt>
                <dd>{format.date(invoice.issue_date)}</dd>
                <dt>Due</dt>
                <dd>{format.date(invoice.due_date)}</dd>
                <dt>Net</dt>
                <dd>{money(invoice.net_amount)}</dd>
                <dt>Tax</dt>
                <dd>{money(invoice.tax_amount)}</dd>
                <dt>Gross</dt>
                <dd>{money(invoice.gross_amount)}</dd>
                <dt>Paid</dt>
                <dd>{money(invoice.paid_amount)}</dd>
                {invoice.document_type === "invoice" && (
                  <>
                    <dt>Credited</dt>
                    <dd>{money(invoice.credited_amount)}</dd>
                  </>
                )}
                <dt>Outstanding</dt>
                <dd>{money(invoice.outstanding_amount)}</dd>
                {invoice.credited_invoice_reference && (
                  <>
                    <dt>Credits invoice</dt>
                    <dd>
                      <Link to={`${accountPath(accountId, "invoices")}/${encodeURIComponent(invoice.credited_invoice_reference)}`}>{invoice.credited_invoice_reference}</Link>
                    </dd>
                  </>
                )}
                <dt>Trades</dt>
                <dd>
                  {invoice.trade_references.length === 0
                    ? "—"
                    : invoice.trade_references.map((t, i) => (
                        <span key={t}>
                          {i > 0 && ", "}
                          {trades ? <Link to={`${accountPath(accountId, "trades")}/${encodeURIComponent(t)}`}>{t}</Link> : t}
                        </span>
                      ))}
                </dd>
              </dl>
              <h2>Lines</h2>
              <div className="table-scroll">
                <table data-testid="invoice-lines">
                  <caption className="visually-hidden">Lines of the invoice</caption>
                  <thead>
                    <tr>
                      <th scope="col">Description</th>
                      <th scope="col" className="number">Quantity</th>
                      <th scope="col" className="number">Unit price</th>
                      <th scope="col" className="number">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    {invoice.lines.map((line, i) => (
                      <tr key={i}>
                        <th scope="row">{line.description}</th>
                        <td className="number">{format.volume(line.quantity_mwh)}</td>
                        <td className="number">{money(line.unit_price)}</td>
                        <td className="number">{money(line.amount)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <h2>Payments</h2>
              {invoice.payments.length === 0 ? (
                <p>No payments yet.</p>
              ) : (
                <div className="table-scroll">
                  <table data-testid="invoice-payments">
                    <caption className="visually-hidden">Payments of the invoice</caption>
                    <thead>
                      <tr>
                        <th scope="col">Reference</th>
                        <th scope="col">Paid on</th>
                        <th scope="col" className="number">Amount</th>
                      </tr>
                    </thead>
                    <tbody>
                      {invoice.payments.map((p) => (
                        <tr key={p.payment_reference}>
                          <th scope="row">{p.payment_reference}</th>
                          <td>{format.date(p.paid_on)}</td>
                          <td className="number">{money(p.amount)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </Loaded>
    </Page>
  );
}
