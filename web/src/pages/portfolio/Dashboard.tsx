// The portfolio at a glance, from the portfolio API's /summary (holdings by status,
// trades by year, retirements and coverage against targets, money) and /holdings grouped
// by technology, country and vintage. Every block is a table (the bars only illustrate
// the figure beside them); blocks the person's permissions do not cover are not shown.
import { useCallback } from "react";
import { Link } from "react-router";
import { unwrap } from "../../api/client";
import type { Buckets, HoldingGroup, Summary } from "../../api/models";
import { useServices, usePresentation } from "../../context";
import { accountPath, can, membership } from "../../navigation";
import { useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Empty, Loaded } from "../../ui/states";
import { Bar, Page, words } from "./shared";

const BUCKETS: readonly (readonly [keyof Buckets, string])[] = [
  ["active", "Active"],
  ["retired", "Retired"],
  ["expired", "Expired"],
  ["contracted_undelivered", "Contracted, not delivered"],
];
const GROUPINGS = [
  ["technology", "By technology"],
  ["country", "By country"],
  ["vintage", "By vintage"],
] as const;

function HoldingsByStatus({ holdings }: { holdings: Buckets }) {
  const { format } = usePresentation();
  const max = Math.max(...BUCKETS.map(([key]) => Number(holdings[key])));
  return (
    <div className="table-scroll">
      <table data-testid="holdings-by-status">
        <caption>Holdings by status</caption>
        <tbody>
          {BUCKETS.map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              <td className="number" data-testid={`holdings-${key}`}>{format.volume(holdings[key])}</td>
              <td className="bar-cell"><Bar value={Number(holdings[key])} max={max} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Grouped({ title, by, groups }: { title: string; by: "technology" | "country" | "vintage"; groups: HoldingGroup[] }) {
  const { format } = usePresentation();
  const max = Math.max(0, ...groups.map((g) => Number(g.active)));
  return (
    <div className="table-scroll">
      <table data-testid={`holdings-by-${by}`}>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{words(by)}</th>
            <th scope="col" className="number">Active</th>
            <th scope="col"><span className="visually-hidden">Share</span></th>
            <th scope="col" className="number">Retired</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key[by] ?? "none"}>
              <th scope="row">{g.key[by] ?? "—"}</th>
              <td className="number">{format.volume(g.active)}</td>
              <td className="bar-cell"><Bar value={Number(g.active)} max={max} /></td>
              <td className="number">{format.volume(g.retired)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TradesByYear({ summary }: { summary: Summary }) {
  const { format } = usePresentation();
  const years = summary.trades_by_year ?? []; // null: not covered by the person's permissions
  if (years.length === 0) return null;
  return (
    <div className="table-scroll">
      <table data-testid="trades-by-year">
        <caption>Trades by year and status</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col">Status</th>
            <th scope="col" className="number">Trades</th>
            <th scope="col" className="number">Volume</th>
          </tr>
        </thead>
        <tbody>
          {years.flatMap((year) =>
            year.by_status.map((s) => (
              <tr key={`${year.year}-${s.status}`}>
                <th scope="row">{year.year}</th>
                <td>{words(s.status)}</td>
                <td className="number">{format.number(s.trades)}</td>
                <td className="number">{format.volume(s.volume_mwh)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </div>
  );
}

function Coverage({ summary }: { summary: Summary }) {
  const { format } = usePresentation();
  const coverage = summary.coverage ?? [];
  if (coverage.length === 0) return <p>No consumption or retirements recorded yet.</p>;
  const max = Math.max(...coverage.map((c) => Number(c.retired_mwh)));
  return (
    <div className="table-scroll">
      <table data-testid="coverage">
        <caption>Retirements over time and coverage against targets</caption>
        <thead>
          <tr>
            <th scope="col">Year</th>
            <th scope="col" className="number">Retired</th>
            <th scope="col"><span className="visually-hidden">Share</span></th>
            <th scope="col" className="number">Consumption</th>
            <th scope="col" className="number">Coverage</th>
            <th scope="col">Targets</th>
          </tr>
        </thead>
        <tbody>
          {coverage.map((c) => (
            <tr key={c.year}>
              <th scope="row">{c.year}</th>
              <td className="number">{format.volume(c.retired_mwh)}</td>
              <td className="bar-cell"><Bar value={Number(c.retired_mwh)} max={max} /></td>
              <td className="number">{format.volume(c.consumption_mwh)}</td>
              <td className="number">{c.coverage_percent === null ? "—" : `${format.number(c.coverage_percent)} %`}</td>
              <td>
                {c.targets.map((t) => `${t.name}: ${t.target_percent === null ? "—" : `${format.number(t.target_percent)} %`}`).join("; ") || "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Money({ summary }: { summary: Summary }) {
  const { format } = usePresentation();
  const currencies = summary.currencies ?? [];
  if (currencies.length === 0) return null;
  return (
    <div className="table-scroll">
      <table data-testid="money">
        <caption>Invoiced and outstanding</caption>
        <thead>
          <tr>
            <th scope="col">Currency</th>
            <th scope="col" className="number">Invoiced</th>
            <th scope="col" className="number">Outstanding</th>
            <th scope="col" className="number">Overdue</th>
          </tr>
        </thead>
        <tbody>
          {currencies.map((c) => (
            <tr key={c.currency}>
              <th scope="row">{c.currency}</th>
              <td className="number">{format.money(c.invoiced, c.currency)}</td>
              <td className="number">{format.money(c.outstanding, c.currency)}</td>
              <td className={Number(c.overdue) > 0 ? "number overdue" : "number"}>{format.money(c.overdue, c.currency)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default function Dashboard({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { me } = usePerson();
  const { t } = usePresentation();
  const member = membership(me, accountId);
  const load = useCallback(async () => {
    const path = { account_id: accountId };
    const [summary, ...groups] = await Promise.all([
      unwrap(api.portfolio.GET("/v1/accounts/{account_id}/summary", { params: { path } })),
      ...GROUPINGS.map(([by]) =>
        unwrap(api.portfolio.GET("/v1/accounts/{account_id}/holdings", { params: { path, query: { group_by: by } } })),
      ),
    ]);
    return { summary, groups: groups.map((g) => g.groups) };
  }, [api, accountId]);
  const resource = useResource(load);
  return (
    <Page title={t("nav.dashboard")}>
      <Loaded resource={resource}>
        {({ summary, groups }) => (
          <div className="dashboard">
            {summary.holdings && <HoldingsByStatus holdings={summary.holdings} />}
            {groups.every((g) => g.length === 0) ? (
              <Empty title="No certificates held yet" />
            ) : (
              GROUPINGS.map(([by, title], i) => <Grouped key={by} by={by} title={title} groups={groups[i] ?? []} />)
            )}
            {can(member, "trades:read") && <TradesByYear summary={summary} />}
            {can(member, "usage_targets:read") && <Coverage summary={summary} />}
            {can(member, "billing:read") && <Money summary={summary} />}
            <p className="links">
              <Link to={accountPath(accountId, "holdings")}>All holdings and batches</Link>
            </p>
          </div>
        )}
      </Loaded>
    </Page>
  );
}
