// The Staff tab (admins): the library's librarians, inviting new ones by e-mail, renaming them,
// changing their role, and deactivating or reactivating them (GET/POST
// /api/libraries/{id}/staff, PATCH /api/staff/{email}). An invitation is a link to set a
// password, valid once for three days; one not yet used can be sent again. Deactivating asks
// first: the librarian's chats go back to the queue and every window of theirs is signed out.

import { dateTime, el, reason, uid, byId as $ } from "/widget/dom.js";
import { limitAttrs } from "/widget/limits.js";

/**
 * Builds the tab's content in #panel-staff.
 * @param services {rest(path, options), me()}
 * @returns {{activate(): void, reset(): void}}
 */
export function setupStaff(services) {
  const panel = $("panel-staff");
  const titleId = uid("staff-title");
  const inviteTitleId = uid("invite-title");
  const email = el("input", { attrs: { id: uid("invite-email"), type: "email", autocomplete: "off", required: true, ...limitAttrs("email") } });
  const name = el("input", { attrs: { id: uid("invite-name"), type: "text", autocomplete: "off", required: true, ...limitAttrs("name") } });
  const admin = el("input", { attrs: { id: uid("invite-admin"), type: "checkbox" } });
  const inviteMessage = el("p", { className: "saved", attrs: { role: "status" } });
  const inviteError = el("p", { className: "error", attrs: { role: "alert" } });
  const inviteForm = el(
    "form",
    { className: "invite-form", attrs: { novalidate: true, "aria-labelledby": inviteTitleId } },
    el("h3", { text: "Invite a librarian", attrs: { id: inviteTitleId } }),
    el("label", { text: "E-mail", attrs: { for: email.id } }),
    email,
    el("label", { text: "Name", attrs: { for: name.id } }),
    name,
    el("div", { className: "checkbox" }, admin, el("label", { text: "Admin of this library", attrs: { for: admin.id } })),
    el("button", { className: "primary", text: "Send invitation", attrs: { type: "submit" } }),
    inviteMessage,
    inviteError,
  );
  const body = el("tbody");
  const listMessage = el("p", { className: "saved", attrs: { role: "status" } });
  const listError = el("p", { className: "error", attrs: { role: "alert" } });
  const table = el(
    "table",
    { className: "staff-table" },
    el("caption", { className: "visually-hidden", text: "Staff" }),
    el(
      "thead",
      {},
      el(
        "tr",
        {},
        ...["Name", "E-mail", "Role", "Status"].map((text) => el("th", { text, attrs: { scope: "col" } })),
        el("th", { attrs: { scope: "col" } }, el("span", { className: "visually-hidden", text: "Actions" })),
      ),
    ),
    body,
  );
  panel.replaceChildren(
    el("h2", { className: "list-title", text: "Your library's staff", attrs: { id: titleId } }),
    el(
      "p",
      { className: "hint",
        text: "Invited librarians get an e-mail with a link to set their password; it works once, for three days. " +
          "Deactivating a librarian signs out every window of theirs at once and puts their chats back in the queue." },
    ),
    inviteForm,
    listMessage,
    listError,
    table,
  );
  let staff = [];

  const library = () => services.me().library;

  async function load() {
    try {
      staff = await services.rest(`/libraries/${encodeURIComponent(library())}/staff`);
      render();
    } catch (error) {
      listError.textContent = `Could not load the staff list: ${reason(error)}`;
    }
  }

  function status(member) {
    if (!member.active) return "Deactivated";
    if (member.invited_until) {
      return Date.parse(member.invited_until) > Date.now()
        ? `Invited (link valid until ${dateTime(member.invited_until)})`
        : "Invitation expired";
    }
    return "Active";
  }

  function render() {
    body.replaceChildren(...staff.map(row));
  }

  function row(member) {
    const self = member.email === services.me().email;
    const actions = el("td", { className: "staff-actions" });
    const tr = el(
      "tr",
      { attrs: { "data-email": member.email } },
      el("td", { text: member.name }),
      el("td", { text: member.email }),
      el("td", { text: member.is_admin ? "Admin" : "Librarian" }),
      el("td", { text: status(member) }),
      actions,
    );
    const who = member.name || member.email;
    const button = (text, onClick) => {
      const node = el("button", { text, attrs: { type: "button", "aria-label": `${text}: ${who}` } });
      node.addEventListener("click", () => onClick(node));
      return node;
    };
    actions.append(button("Rename", () => rename(member, tr)));
    if (member.invited_until && member.active) {
      actions.append(button("Send invitation again", (node) => reinvite(member, node)));
    }
    if (!self) {
      actions.append(
        member.is_admin
          ? button("Remove admin role", (node) => change(member, { is_admin: false }, node))
          : button("Make admin", (node) => change(member, { is_admin: true }, node)),
        member.active
          ? button("Deactivate", () => confirmDeactivation(member, tr))
          : button("Reactivate", (node) => change(member, { active: true }, node)),
      );
    }
    return tr;
  }

  async function change(member, fields, node) {
    if (node) node.disabled = true;
    listError.textContent = "";
    try {
      const changed = await services.rest(`/staff/${encodeURIComponent(member.email)}`, { method: "PATCH", body: fields });
      staff = staff.map((other) => (other.email === changed.email ? changed : other));
      render();
      listMessage.textContent = describe(changed, fields);
      body.querySelector(`tr[data-email="${CSS.escape(changed.email)}"] button`)?.focus();
    } catch (error) {
      if (node) node.disabled = false;
      listError.textContent = `Could not change ${member.name}: ${reason(error)}`;
    }
  }

  function describe(member, fields) {
    if (fields.active === false) return `${member.name} is deactivated: signed out everywhere, their chats back in the queue.`;
    if (fields.active === true) return `${member.name} is active again and can sign in.`;
    if (fields.is_admin !== undefined) return `${member.name} is now ${fields.is_admin ? "an admin" : "a librarian"}.`;
    return `Renamed to ${member.name}.`;
  }

  /** An inline form in place of the row's actions: the new name, Save, Cancel. */
  function rename(member, tr) {
    const input = el("input", { attrs: { id: uid("rename"), type: "text", required: true, ...limitAttrs("name") } });
    input.value = member.name;
    const cancel = el("button", { text: "Cancel", attrs: { type: "button" } });
    const form = el(
      "form",
      { className: "inline-form", attrs: { novalidate: true } },
      el("label", { text: `New name for ${member.email}`, attrs: { for: input.id } }),
      input,
      el("button", { className: "primary", text: "Save name", attrs: { type: "submit" } }),
      cancel,
    );
    cancel.addEventListener("click", () => {
      render();
      body.querySelector(`tr[data-email="${CSS.escape(member.email)}"] button`)?.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (value) change(member, { name: value });
      else input.focus();
    });
    tr.lastElementChild.replaceChildren(form);
    input.focus();
  }

  function confirmDeactivation(member, tr) {
    const yes = el("button", { className: "danger", text: `Deactivate ${member.name}`, attrs: { type: "button" } });
    const no = el("button", { text: "Cancel", attrs: { type: "button" } });
    yes.addEventListener("click", () => change(member, { active: false }, yes));
    no.addEventListener("click", () => {
      render();
      body.querySelector(`tr[data-email="${CSS.escape(member.email)}"] button`)?.focus();
    });
    tr.lastElementChild.replaceChildren(
      el("p", { className: "confirm", text: "Their chats go back to the queue and every window of theirs is signed out." }),
      yes,
      no,
    );
    no.focus();
  }

  async function invite(fields) {
    inviteError.textContent = "";
    inviteMessage.textContent = "";
    const member = await services.rest(`/libraries/${encodeURIComponent(library())}/staff`, { method: "POST", body: fields });
    staff = [...staff.filter((other) => other.email !== member.email), member].sort((a, b) => (a.email < b.email ? -1 : 1));
    render();
    inviteMessage.textContent = `Invitation sent to ${member.email}.`;
  }

  async function reinvite(member, node) {
    node.disabled = true;
    try {
      await invite({ email: member.email, name: member.name, is_admin: member.is_admin });
      listMessage.textContent = `A new invitation is on its way to ${member.email}; the old link no longer works.`;
    } catch (error) {
      node.disabled = false;
      listError.textContent = `Could not send the invitation: ${reason(error)}`;
    }
  }

  inviteForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    for (const input of [email, name]) input.removeAttribute("aria-invalid");
    const missing = !email.value.trim() || !email.checkValidity() ? email : !name.value.trim() ? name : null;
    if (missing) {
      missing.setAttribute("aria-invalid", "true");
      inviteError.textContent = missing === email ? "Enter the librarian's e-mail address." : "Enter the librarian's name.";
      missing.focus();
      return;
    }
    const submit = inviteForm.querySelector("button[type=submit]");
    submit.disabled = true;
    try {
      await invite({ email: email.value.trim(), name: name.value.trim(), is_admin: admin.checked });
      inviteForm.reset();
      email.focus();
    } catch (error) {
      inviteError.textContent = `Could not invite ${email.value.trim()}: ${reason(error)}`;
      email.focus();
    } finally {
      submit.disabled = false;
    }
  });

  return {
    /** Each visit shows the list as it is now (invitations used, colleagues' changes). */
    activate() {
      load();
    },
    reset() {
      staff = [];
      body.replaceChildren();
      for (const node of [inviteMessage, inviteError, listMessage, listError]) node.textContent = "";
      inviteForm.reset();
    },
  };
}
