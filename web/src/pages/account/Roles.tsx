import { useCallback } from "react";
import { unwrap } from "../../api/client";
import { useServices, usePresentation } from "../../context";
import { permissionLabel } from "../../i18n/messages";
import { useResource } from "../../resource";
import { Loaded } from "../../ui/states";

export default function Roles() {
  const { api } = useServices();
  const { t } = usePresentation();
  const roles = useResource(useCallback(() => unwrap(api.identity.GET("/v1/roles")), [api]));
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{t("nav.roles")}</h1>
      <p>Every member has one of these roles; each role is a fixed set of permissions.</p>
      <Loaded resource={roles}>
        {({ items: list }) => (
          <div className="table-scroll">
            <table>
              <caption className="visually-hidden">Roles and their permissions</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">What it is for</th>
                  <th scope="col">Permissions</th>
                </tr>
              </thead>
              <tbody>
                {list.map((role) => (
                  <tr key={role.name}>
                    <th scope="row">{t(`role.${role.name}`)}</th>
                    <td>{role.description}</td>
                    <td>{role.permissions.map((p) => permissionLabel(t, p)).join(", ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </section>
  );
}
