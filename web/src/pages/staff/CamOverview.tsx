// A CAM's accounts at a glance: the key figures of every assigned account from portfolio's
// CAM overview (the service knows the CAM's accounts itself; every page of it is read, so
// all accounts show at once), sortable; each account opens read-only (the staff view).
import { useCallback } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { CamOverviewItem } from "../../api/models";
import { everyPage } from "../../api/pages";
import { useServices, usePresentation } from "../../context";
import { accountPath } from "../../navigation";
import { useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Empty, Loaded } from "../../ui/states";
import { SortHeader, sortRows, StaffPageFrame, useSorting } from "./shared";

const PAGE = 50;

type Column = "name" | "status" | "active" | "open" | "outstanding" | "overdue" | "activity";

interface Row {
  accountId: string;
  name: string;
  status: string;
  summary: CamOverviewItem;
}

function outstanding(summary: CamOverviewItem): { currency: string; amount: string }[] {
  return (summary.currencies ?? []).filter((c) => Number(c.outstanding) !== 0).map((c) => ({ currency: c.currency, amount: c.outstanding }));
}

/** Open forward volume: what is still to deliver on both sides. */
function openVolume(summary: CamOverviewItem): number {
  return (summary.open_forward ?? []).reduce((n, side) => n + Number(side.outstanding_mwh), 0);
}

/** The newest trade, retirement or invoice fact (ISO times sort as text). */
function lastActivity(summary: CamOverviewItem): string | null {
  const times = [summary.last_trade_activity_at, summary.last_retirement_at, summary.last_invoice_activity_at].filter(
    (t): t is string => typeof t === "string",
  );
  return times.length ? times.reduce((a, b) => (Date.parse(a) >= Date.parse(b) ? a : b)) : null;
}

function overdueCount(summary: CamOverviewItem): number {
  return (summary.currencies ?? []).reduce((n, c) => n + c.overdue_count, 0);
}

function value(row: Row, column: Column): string | number {
  switch (column) {
    case "name":
      return row.name;
    case "status":
      return row.status;
    case "active":
      return Number(row.summary.holdings?.active ?? 0);
    case "open":
      return openVolume(row.summary);
    case "activity": {
      const last = lastActivity(row.summary);
      return last ? Date.parse(last) : 0;
    }
    case "outstanding":
      return outstanding(row.summary).reduce((n, o) => n + Number(o.amount), 0);
    case "overdue":
      return overdueCount(row.summary);
  }
}

export default function CamOverview() {
  const { api } = useServices();
  const { me } = usePerson();
  const { format } = usePresentation();
  const { sorting, toggle } = useSorting<Column>({ key: "name", direction: "ascending" });
  const overview = useResource(
    useCallback(async () => {
      const every = await everyPage((cursor) =>
        unwrap(api.portfolio.GET("/v1/cam/overview", { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } } })),
      );
      return every.items;
    }, [api]),
  );

  return (
    <StaffPageFrame title="My accounts" intro="Every account assigned to you, with its key figures. Open one to see it as its members do (read only).">
      <Loaded resource={overview}>
        {(items) => {
          if (items.length === 0) return <Empty title="No accounts are assigned to you yet" />;
          const rows: Row[] = items.map((item) => {
            const known = me.cam_accounts.find((a) => a.account_id === item.account_id);
            return {
              accountId: item.account_id,
              name: item.name ?? known?.name ?? item.account_id,
              status: known?.status ?? "—",
              summary: item,
            };
          });
          const head = { sorting, toggle };
          return (
            <div className="table-scroll">
              <table data-testid="cam-overview">
                <caption className="visually-hidden">Assigned accounts and their key figures</caption>
                <thead>
                  <tr>
                    <SortHeader column="name" {...head}>Account</SortHeader>
                    <SortHeader column="status" {...head}>Status</SortHeader>
                    <SortHeader column="active" numeric {...head}>Active holdings</SortHeader>
                    <SortHeader column="open" numeric {...head}>Open forward volume</SortHeader>
                    <SortHeader column="outstanding" numeric {...head}>Outstanding</SortHeader>
                    <SortHeader column="overdue" numeric {...head}>Overdue invoices</SortHeader>
                    <SortHeader column="activity" {...head}>Last activity</SortHeader>
                  </tr>
                </thead>
                <tbody>
                  {sortRows(rows, sorting, value).map((row) => (
                    <tr key={row.accountId} data-account={row.accountId}>
                      <th scope="row">
                        <Link to={accountPath(row.accountId)}>{row.name}</Link>
                      </th>
                      <td className={row.status === "suspended" ? "status-suspended" : undefined}>{row.status}</td>
                      <td className="number">{format.volume(row.summary.holdings?.active ?? null)}</td>
                      <td className="number">
                        {format.volume(openVolume(row.summary).toFixed(3))}
                        {(row.summary.open_forward ?? []).map((side) => (
                          <div key={side.side} className="muted">
                            {side.side}: {format.volume(side.outstanding_mwh)} ({format.number(side.deals)} deals)
                          </div>
                        ))}
                      </td>
                      <td className="number">
                        {outstanding(row.summary).length === 0
                          ? format.money("0")
                          : outstanding(row.summary).map((o) => <div key={o.currency}>{format.money(o.amount, o.currency)}</div>)}
                      </td>
                      <td className={overdueCount(row.summary) > 0 ? "number overdue" : "number"}>{format.number(overdueCount(row.summary))}</td>
                      <td>{format.dateTime(lastActivity(row.summary))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Loaded>
    </StaffPageFrame>
  );
}
