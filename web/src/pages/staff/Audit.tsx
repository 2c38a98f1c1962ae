// The audit trail for SCTS administrators: staff actions across the platform (identity's
// GET /v1/audit: account creation, suspension, reactivation, CAM creation, assignment and
// their refusals, newest first), and any one account's own hash-chained log with its
// verification.
import { useCallback, useState } from "react";
import { useSearchParams } from "react-router";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { StaffAuditEntry } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { asProblem, useResource } from "../../resource";
import { Select } from "../../ui/Field";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";
import AccountAudit from "../account/Audit";
import { StaffPageFrame } from "./shared";

const PAGE_SIZE = 50;

function StaffActions() {
  const { api } = useServices();
  const { format } = usePresentation();
  const first = useResource(
    useCallback(() => unwrap(api.identity.GET("/v1/audit", { params: { query: { limit: PAGE_SIZE } } })), [api]),
  );
  const [older, setOlder] = useState<{ entries: StaffAuditEntry[]; next: string | null } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const loadOlder = async (cursor: string) => {
    setProblem(null);
    try {
      const page = await unwrap(api.identity.GET("/v1/audit", { params: { query: { limit: PAGE_SIZE, cursor } } }));
      // a second click on the same cursor answers the same page: only the page after
      // what is shown is added
      setOlder((current) =>
        current !== null && current.next !== cursor
          ? current
          : { entries: [...(current?.entries ?? []), ...page.items], next: page.next_cursor },
      );
    } catch (error) {
      setProblem(asProblem(error));
    }
  };

  return (
    <Loaded resource={first}>
      {(page) => {
        const entries = [...page.items, ...(older?.entries ?? [])];
        const next = older ? older.next : page.next_cursor;
        if (entries.length === 0) return <Empty title="No staff actions yet" />;
        return (
          <>
            <div className="table-scroll">
              <table data-testid="staff-audit">
                <caption className="visually-hidden">Staff actions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Action</th>
                    <th scope="col">On</th>
                    <th scope="col">Outcome</th>
                    <th scope="col">Entry</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map((e) => (
                    <tr key={e.entry_id}>
                      <td>{format.dateTime(e.at)}</td>
                      <td title={e.actor}>{e.actor_email ?? "someone no longer in the user pool"}</td>
                      <th scope="row">{e.action}</th>
                      <td title={e.target}>{e.target_name ?? e.target}</td>
                      <td>{e.outcome}</td>
                      <td><code>{e.chain === "platform" ? "platform" : "account"} #{e.seq}</code></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ProblemMessage problem={problem} />
            {next && (
              <p>
                <button type="button" className="secondary" onClick={() => void loadOlder(next)}>Older entries</button>
              </p>
            )}
          </>
        );
      }}
    </Loaded>
  );
}

export default function Audit() {
  const { api } = useServices();
  const [params, setParams] = useSearchParams();
  const chosen = params.get("account") ?? "";
  const accounts = useResource(
    useCallback(() => everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts", { params: { query: { limit: PAGE_LIMIT, cursor } } }))), [api]),
  );
  return (
    <StaffPageFrame title="Audit trail" intro="What STX staff did to accounts and account managers, and each account's own log.">
      <h2>Staff actions</h2>
      <StaffActions />
      <h2>An account's log</h2>
      <Loaded resource={accounts}>
        {({ items }) => (
          <form className="form" onSubmit={(e) => { e.preventDefault(); }}>
            <Select label="Account" value={chosen}
              onChange={(value) => { setParams(value ? { account: value } : {}); }}
              options={[{ value: "", label: "Choose an account…" }, ...items.map((a) => ({ value: a.account_id, label: a.name }))]} />
          </form>
        )}
      </Loaded>
      {chosen && <AccountAudit key={chosen} accountId={chosen} embedded />}
    </StaffPageFrame>
  );
}
