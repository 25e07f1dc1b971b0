// The patron's library's policy beside a chat: a collapsed "Policy of <library>" that opens to
// its sections (title and text), when they were last updated, its chat hours and what patrons
// may try instead of chat. A partner librarian serving another library's patron reads that
// library's rules without leaving the chat. Each library's page is fetched once (policies.js);
// a page an admin saves is shown at once in every pane that shows it.

import { dateTime, el, uid } from "/widget/dom.js";
import { alternativeList } from "/widget/contact-link.js";
import { libraryPolicy, onPolicyChanged } from "./policies.js";
import { libraryLabel } from "./status.js";

/** The <details> for a chat of library `id`, filled in when the policy arrives. */
export function policySummary(id) {
  const label = el("span", { text: `Policy of ${libraryLabel(id)}`, attrs: { id: uid("policy-summary") } });
  // A long policy scrolls within the pane, so the keyboard can reach and scroll it too.
  const body = el(
    "div",
    { className: "policy-summary-body", attrs: { role: "region", "aria-labelledby": label.id, tabindex: "0" } },
    el("p", { className: "hint", text: "Loading…" }),
  );
  const node = el(
    "details",
    { className: "policy-summary", attrs: { "data-policy-library": id } },
    el("summary", {}, label),
    body,
  );
  node.policyParts = { label, body };
  libraryPolicy(id).then(
    (policy) => renderPolicySummary(node, policy),
    () => body.replaceChildren(el("p", { className: "hint", text: "The policy could not be loaded. Open the policy page instead." })),
  );
  return node;
}

function renderPolicySummary(node, policy) {
  const { label, body } = node.policyParts;
  label.textContent = `Policy of ${policy.name || policy.library_id}`;
  const sections = Array.isArray(policy.sections) ? policy.sections : [];
  const parts = [
    el("p", {
      className: "hint",
      text: policy.updated_at ? `Last updated ${dateTime(policy.updated_at)}` : "Not dated: written before policy sections.",
    }),
  ];
  if (sections.length === 0) parts.push(el("p", { className: "empty", text: "This library has no policy page yet." }));
  for (const section of sections) {
    parts.push(el("h3", { className: "policy-section-title", text: section.title }));
    parts.push(el("p", { className: "policy-section-text", text: section.text }));
  }
  if (policy.hours) parts.push(el("p", { className: "policy-hours" }, el("strong", { text: "Chat hours: " }), policy.hours));
  const alternatives = alternativeList(policy.alternatives);
  if (alternatives) parts.push(el("p", { className: "policy-alternatives-title", text: "Patrons may also:" }), alternatives);
  body.replaceChildren(...parts);
}

onPolicyChanged((id, policy) => {
  for (const node of document.querySelectorAll("details.policy-summary")) {
    if (node.dataset.policyLibrary === id && node.policyParts) renderPolicySummary(node, policy);
  }
});
