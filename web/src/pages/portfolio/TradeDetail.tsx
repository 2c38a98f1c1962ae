// One trade: its terms, every version, deliveries, invoices and (where documents may be
// read) the documents that name it.
import { useCallback } from "react";
import { Link, useParams } from "react-router";
import { unwrap } from "../../api/client";
import { useServices, usePresentation } from "../../context";
import { accountPath, mayOpen } from "../../navigation";
import { useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Loaded } from "../../ui/states";
import { DocumentTable } from "./Documents";
import { Page, words } from "./shared";

function TradeDocuments({ accountId, reference }: { accountId: string; reference: string }) {
  const { api } = useServices();
  const resource = useResource(
    useCallback(
      () =>
        unwrap(
          api.documents.GET("/v1/accounts/{account_id}/documents", {
            params: { path: { account_id: accountId }, query: { related_reference: reference, limit: 50 } },
          }),
        ),
      [api, accountId, reference],
    ),
  );
  return (
    <>
      <h2>Documents</h2>
      <Loaded resource={resource}>
        {({ items }) => (items.length ? <DocumentTable accountId={accountId} documents={items} /> : <p>No documents for this trade yet.</p>)}
      </Loaded>
    </>
  );
}

export default function TradeDetail({ accountId }: { accountId: string }) {
  const { reference = "" } = useParams();
  const { api } = useServices();
  const { me } = usePerson();
  const { format } = usePresentation();
  const resource = useResource(
    useCallback(
      () =>
        unwrap(
          api.portfolio.GET("/v1/accounts/{account_id}/trades/{reference}", {
            params: { path: { account_id: accountId, reference } },
          }),
        ),
      [api, accountId, reference],
    ),
  );
  return (
    <Page title={`Trade ${reference}`}>
      <p>
        <Link to={accountPath(accountId, "trades")}>Back to trades</Link>
      </p>
      <Loaded resource={resource}>
        {({ trade, versions, deliveries, invoices }) => (
          <>
            <dl className="facts" data-testid="trade-facts">
              <dt>Status</dt>
              <dd>{words(trade.status)}</dd>
              <dt>Side</dt>
              <dd>{words(trade.side)}</dd>
              <dt>Trade date</dt>
              <dd>{format.date(trade.trade_date)}</dd>
              <dt>Scheme</dt>
              <dd>{trade.scheme}</dd>
              <dt>Technologies</dt>
              <dd>{trade.technologies.join(", ")}</dd>
              <dt>Countries</dt>
              <dd>{trade.countries.join(", ")}</dd>
              <dt>Vintage</dt>
              <dd>{`${trade.vintage_from} – ${trade.vintage_to}`}</dd>
              <dt>Volume</dt>
              <dd>{format.volume(trade.volume_mwh)}</dd>
              <dt>Delivered</dt>
              <dd>{format.volume(trade.delivered_mwh)}</dd>
              <dt>Outstanding</dt>
              <dd>{format.volume(trade.outstanding_mwh)}</dd>
              <dt>Unit price</dt>
              <dd>{format.money(trade.unit_price, trade.currency)}</dd>
              <dt>Total</dt>
              <dd>{format.money(trade.total, trade.currency)}</dd>
              <dt>Delivery date</dt>
              <dd>{format.date(trade.delivery_date)}</dd>
              <dt>Payment due</dt>
              <dd>{format.date(trade.payment_due_date)}</dd>
              <dt>Registry account</dt>
              <dd>{trade.registry_account}</dd>
              {trade.cancellation_reason && (
                <>
                  <dt>Cancelled because</dt>
                  <dd>{trade.cancellation_reason}</dd>
                </>
              )}
            </dl>
            <h2>Versions</h2>
            <div className="table-scroll">
              <table data-testid="trade-versions">
                <caption className="visually-hidden">Versions of the trade</caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Status</th>
                    <th scope="col">Recorded</th>
                    <th scope="col" className="number">Volume</th>
                    <th scope="col" className="number">Total</th>
                  </tr>
                </thead>
                <tbody>
                  {versions.map((v) => (
                    <tr key={v.version}>
                      <th scope="row">{v.version}</th>
                      <td>{words(v.status)}</td>
                      <td>{format.dateTime(v.occurred_at)}</td>
                      <td className="number">{format.volume(v.volume_mwh)}</td>
                      <td className="number">{format.money(v.total, v.currency)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h2>Deliveries</h2>
            {deliveries.length === 0 ? (
              <p>No deliveries yet.</p>
            ) : (
              <div className="table-scroll">
                <table data-testid="trade-deliveries">
                  <caption className="visually-hidden">Deliveries of the trade</caption>
                  <thead>
                    <tr>
                      <th scope="col">Reference</th>
                      <th scope="col">Date</th>
                      <th scope="col">Status</th>
                      <th scope="col" className="number">Volume</th>
                    </tr>
                  </thead>
                  <tbody>
                    {deliveries.map((d) => (
                      <tr key={d.reference}>
                        <th scope="row">{d.reference}</th>
                        <td>{format.date(d.delivery_date)}</td>
                        <td>{words(d.status)}{d.failure_reason ? `: ${d.failure_reason}` : ""}</td>
                        <td className="number">{format.volume(d.volume_mwh)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {invoices != null && ( // null: the caller may not read billing
              <>
                <h2>Invoices</h2>
                {invoices.length === 0 ? (
                  <p>No invoices for this trade.</p>
                ) : (
                  <div className="table-scroll">
                    <table data-testid="trade-invoices">
                      <caption className="visually-hidden">Invoices of the trade</caption>
                      <thead>
                        <tr>
                          <th scope="col">Reference</th>
                          <th scope="col">Due</th>
                          <th scope="col">Status</th>
                          <th scope="col" className="number">Gross</th>
                          <th scope="col" className="number">Outstanding</th>
                        </tr>
                      </thead>
                      <tbody>
                        {invoices.map((i) => (
                          <tr key={i.reference} className={i.status === "overdue" ? "overdue" : undefined}>
                            <th scope="row">{i.reference}</th>
                            <td>{format.date(i.due_date)}</td>
                            <td>{words(i.status)}</td>
                            <td className="number">{format.money(i.gross_amount, i.currency)}</td>
                            <td className="number">{format.money(i.outstanding_amount, i.currency)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                )}
              </>
            )}
            {mayOpen(me, accountId, "documents") && <TradeDocuments accountId={accountId} reference={reference} />}
          </>
        )}
      </Loaded>
    </Page>
  );
}
