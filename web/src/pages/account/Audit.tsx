// The account's audit log (newest first, paged with `before`) and the result of
// recomputing its hash chain.
import { useCallback, useState } from "react";
import { unwrap } from "../../api/client";
import type { AuditEntry } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { asProblem, useResource } from "../../resource";
import { Empty, Failure, Loaded } from "../../ui/states";

const PAGE_SIZE = 50;
/** The log names members, invitees and assigned CAMs; anyone else (SCTS staff, a removed
 * member, a refused outsider) the account does not know: the id is in the cell's title. */
const OUTSIDE_ACCOUNT = "Someone outside this account";

/** `embedded`: inside another page (the staff audit trail), under its own h2. */
export default function Audit({ accountId, embedded = false }: { accountId: string; embedded?: boolean }) {
  const { api } = useServices();
  const { t, format } = usePresentation();
  const account = { account_id: accountId };
  const verification = useResource(
    useCallback(
      () => unwrap(api.identity.GET("/v1/accounts/{account_id}/audit/verify", { params: { path: { account_id: accountId } } })),
      [api, accountId],
    ),
  );
  const first = useResource(
    useCallback(
      () => unwrap(api.identity.GET("/v1/accounts/{account_id}/audit", {
        params: { path: { account_id: accountId }, query: { limit: PAGE_SIZE } },
      })),
      [api, accountId],
    ),
  );
  const [older, setOlder] = useState<{ entries: AuditEntry[]; next: string | null } | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  async function loadOlder(cursor: string) {
    setProblem(null);
    try {
      const page = await unwrap(api.identity.GET("/v1/accounts/{account_id}/audit", {
        params: { path: account, query: { limit: PAGE_SIZE, cursor } },
      }));
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
  }

  return (
    <section className="page" aria-labelledby={embedded ? "account-audit-title" : "page-title"}>
      {embedded ? <h3 id="account-audit-title">{t("nav.audit")}</h3> : <h1 id="page-title">{t("nav.audit")}</h1>}
      <Loaded resource={verification}>
        {(result) =>
          result.ok ? (
            <p className="success" data-testid="audit-verification">
              The log is intact: {format.number(result.checked)} entries checked against their hash chain.
            </p>
          ) : (
            <p className="form-error" data-testid="audit-verification" role="alert">
              The log is broken at entry {result.broken?.seq ?? "?"}: {result.broken?.reason ?? "hash mismatch"}.
              Report this to SCTS.
            </p>
          )
        }
      </Loaded>
      <Loaded resource={first}>
        {(page) => {
          const entries = [...page.items, ...(older?.entries ?? [])];
          const next = older ? older.next : page.next_cursor;
          if (entries.length === 0) return <Empty title="Nothing recorded yet" />;
          return (
            <>
              <div className="table-scroll">
                <table>
                  <caption className="visually-hidden">Audit log entries, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">When</th>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Target</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entries.map((entry) => (
                      <tr key={entry.entry_id}>
                        <td>{format.number(entry.seq)}</td>
                        <td>{format.dateTime(entry.at)}</td>
                        <td title={entry.actor}>{entry.actor_name ?? OUTSIDE_ACCOUNT}</td>
                        <th scope="row">{entry.action}</th>
                        <td title={entry.target}>{entry.target_name ?? entry.target}</td>
                        <td>{entry.outcome}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              {next !== null && (
                <button type="button" className="secondary" onClick={() => void loadOlder(next)}>
                  Show older entries
                </button>
              )}
            </>
          );
        }}
      </Loaded>
      {problem && <Failure problem={problem} />}
    </section>
  );
}
