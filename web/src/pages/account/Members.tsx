// The account's members: role changes and removal for those who may manage users.
import { useCallback, useState } from "react";
import { unwrap } from "../../api/client";
import { everyPage, PAGE_LIMIT } from "../../api/pages";
import type { MemberView, RoleName } from "../../api/models";
import type { ApiProblem } from "../../api/problem";
import { useServices, usePresentation } from "../../context";
import { can, membership } from "../../navigation";
import { asProblem, useResource } from "../../resource";
import { usePerson } from "../../session/person";
import { Empty, Loaded, ProblemMessage } from "../../ui/states";

const ROLES: RoleName[] = ["admin", "trader", "finance", "viewer"];

export default function Members({ accountId }: { accountId: string }) {
  const { api } = useServices();
  const { me } = usePerson();
  const { t, format } = usePresentation();
  const manage = can(membership(me, accountId), "users:manage");
  const path = { params: { path: { account_id: accountId } } };
  const members = useResource(
    useCallback(
      () => everyPage((cursor) => unwrap(api.identity.GET("/v1/accounts/{account_id}/members", { params: { path: { account_id: accountId }, query: { limit: PAGE_LIMIT, cursor } } }))),
      [api, accountId],
    ),
  );
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  async function act(action: () => Promise<unknown>, done: string) {
    setProblem(null);
    setStatus(null);
    try {
      await action();
      setStatus(done);
      members.reload();
    } catch (error) {
      setProblem(asProblem(error));
    }
  }

  const changeRole = (member: MemberView, role: RoleName) =>
    act(
      () =>
        unwrap(api.identity.PUT("/v1/accounts/{account_id}/members/{subject}", {
          params: { path: { ...path.params.path, subject: member.subject } },
          body: { role },
        })),
      `${member.email} is now ${t(`role.${role}`)}.`,
    );

  const remove = (member: MemberView) => {
    if (!window.confirm(`Remove ${member.email} from this account? They lose access at once.`)) return;
    void act(
      () =>
        unwrap(api.identity.DELETE("/v1/accounts/{account_id}/members/{subject}", {
          params: { path: { ...path.params.path, subject: member.subject } },
        })),
      `${member.email} was removed.`,
    );
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("nav.members")}</h1>
      <ProblemMessage problem={problem} />
      {status && <p role="status" className="success">{status}</p>}
      <Loaded resource={members}>
        {({ items: list }) =>
          list.length === 0 ? (
            <Empty title="No members yet" />
          ) : (
            <div className="table-scroll">
              <table>
                <caption className="visually-hidden">Members of the account</caption>
                <thead>
                  <tr>
                    <th scope="col">Email</th>
                    <th scope="col">Role</th>
                    <th scope="col">Member since</th>
                    {manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((member) => {
                    // an invitation is managed on the Invitations page: the API changes or
                    // removes active members only
                    const editable = manage && member.subject !== me.subject && member.status === "active";
                    return (
                      <tr key={member.subject}>
                        <th scope="row">{member.email}</th>
                        <td>
                          {editable ? (
                            <select
                              aria-label={`Role of ${member.email}`}
                              value={member.role}
                              onChange={(e) => void changeRole(member, e.target.value as RoleName)}
                            >
                              {ROLES.map((role) => (
                                <option key={role} value={role}>{t(`role.${role}`)}</option>
                              ))}
                            </select>
                          ) : (
                            t(`role.${member.role}`)
                          )}
                        </td>
                        <td>{member.status === "active" ? format.date(member.activated_at) : "Invited"}</td>
                        {manage && (
                          <td>
                            {editable && (
                              <button type="button" className="secondary" onClick={() => { remove(member); }}>
                                Remove<span className="visually-hidden"> {member.email}</span>
                              </button>
                            )}
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}
