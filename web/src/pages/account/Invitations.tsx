// Invitations of the account: invite someone (mailed a temporary password), resend, revoke.
import { useCallback, useState, type SyntheticEvent } from "react";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { MemberView, RoleName } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { can, membership } from "../../navigation";
import { asProblem, useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Field, Select } from "../../ui/Field";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";

const ROLES: RoleName[] = ["viewer", "trader", "finance", "admin"];

export default function Invitations({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { me } = usePerson();
  const { t, format } = usePresentation();
  const manage = can(membership(me, accountId), "users:manage");
  const invitations = useResource(
    useCallback(
      () => everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts/{account_id}/invitations", { params: { path: { account_id: accountId }, query: { limit: PAGE_LIMIT, cursor } } }))),
      [api, accountId],
    ),
  );
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<RoleName>("viewer");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(action: () => Promise<unknown>, done: string) {
    setProblem(null);
    setStatus(null);
    setBusy(true);
    try {
      await action();
      setStatus(done);
      invitations.reload();
      return true;
    } catch (error) {
      setProblem(asProblem(error));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const invite = async (event: SyntheticEvent) => {
    event.preventDefault();
    const address = email.trim();
    const ok = await act(
      () => unwrap(api.identity.POST("/v1/accounts/{account_id}/invitations", {
        params: { path: { account_id: accountId } },
        body: { email: address, role },
      })),
      `Invitation sent to ${address}.`,
    );
    if (ok) setEmail("");
  };

  const subjectPath = (invitation: MemberView) => ({
    params: { path: { account_id: accountId, subject: invitation.subject } },
  });

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("nav.invitations")}</h1>
      {manage && (
        <form className="form inline-form" onSubmit={(e) => void invite(e)} noValidate>
          <h2>Invite someone</h2>
          <Field label="Email address" type="email" autoComplete="off" required value={email}
            error={problem?.fieldMessage("email")} onChange={(e) => { setEmail(e.target.value); }} />
          <Select label="Role" value={role} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}`) }))}
            onChange={(value) => { setRole(value as RoleName); }} error={problem?.fieldMessage("role")} />
          <button type="submit" disabled={busy}>Send invitation</button>
        </form>
      )}
      <ProblemMessage problem={problem} />
      {status && <p role="status" className="success">{status}</p>}
      <h2>Waiting for an answer</h2>
      <Loaded resource={invitations}>
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty title="No open invitations" />
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">Open invitations</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Invited</th>
                    <th scope="col">Expires</th>
                    {manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((invitation) => (
                    <tr key={invitation.subject}>
                      <th scope="row">{invitation.email}</th>
                      <td>{t(`role.${invitation.role}`)}</td>
                      <td>{format.dateTime(invitation.invited_at)}</td>
                      <td>{format.dateTime(invitation.expires_at)}</td>
                      {manage && (
                        <td className="actions">
                          <button type="button" className="secondary" disabled={busy}
                            onClick={() => void act(
                              () => unwrap(api.identity.POST("/v1/accounts/{account_id}/invitations/{subject}/resend", subjectPath(invitation))),
                              `Invitation to ${invitation.email} sent again.`,
                            )}>
                            Resend<span className="visually-hidden"> to {invitation.email}</span>
                          </button>
                          <button type="button" className="secondary" disabled={busy}
                            onClick={() => {
                              if (!window.confirm(`Revoke the invitation to ${invitation.email}?`)) return;
                              void act(
                                () => unwrap(api.identity.DELETE("/v1/accounts/{account_id}/invitations/{subject}", subjectPath(invitation))),
                                `Invitation to ${invitation.email} revoked.`,
                              );
                            }}>
                            Revoke<span className="visually-hidden"> invitation to {invitation.email}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
