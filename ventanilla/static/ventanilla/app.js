// Small behaviours without inline scripts (the CSP forbids them).
document.addEventListener("htmx:afterSwap", (event) => {
  const total = document.getElementById("id_members-TOTAL_FORMS");
  if (total && event.target.id === "members") {
    total.value = document.querySelectorAll("#members .vt-member").length;
    const last = event.target.querySelector(".vt-member:last-child input");
    if (last) last.focus();
  }
});
document.addEventListener("click", (event) => {
  const remover = event.target.closest("[data-remove-member]");
  if (!remover) return;
  const members = document.querySelectorAll("#members .vt-member");
  if (members.length <= 1) return;
  const card = remover.closest(".vt-member");
  card.remove();
  // Renumber the remaining member forms so the formset stays contiguous.
  document.querySelectorAll("#members .vt-member").forEach((member, index) => {
    member.querySelectorAll("[name^='members-'], [id^='id_members-'], label[for^='id_members-']")
      .forEach((el) => {
        for (const attr of ["name", "id", "for"]) {
          const value = el.getAttribute(attr);
          if (value) el.setAttribute(attr, value.replace(/members-\d+-/, `members-${index}-`));
        }
      });
    const number = member.querySelector("[data-member-number]");
    if (number) number.textContent = index + 1;
  });
  document.getElementById("id_members-TOTAL_FORMS").value =
    document.querySelectorAll("#members .vt-member").length;
});
document.addEventListener("change", (event) => {
  const select = event.target.closest("select[data-autosubmit]");
  if (select) select.form.requestSubmit();
});

// A long multiple select (nationalities: ~250 countries) is hard to use as a bare list box:
// ctrl-click is needed to add a second item, a plain click drops the others, and the chosen
// items scroll out of sight. Inside [data-vt-multiselect], a click toggles one option, the
// chosen ones are shown as removable chips, and a search box filters the list.
function enhanceMultiselect(wrapper) {
  const select = wrapper.querySelector("select[multiple]");
  if (!select || select.dataset.enhanced) return;
  select.dataset.enhanced = "true";
  const chips = document.createElement("div");
  chips.className = "vt-chips";
  chips.setAttribute("aria-live", "polite");
  const filter = document.createElement("input");
  filter.type = "search";
  filter.className = "form-control form-control-sm mb-1";
  filter.placeholder = wrapper.dataset.filterLabel || "";
  filter.setAttribute("aria-label", filter.placeholder);
  filter.setAttribute("aria-controls", select.id);
  filter.autocomplete = "off";
  select.before(chips, filter);

  const normalize = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  const render = () => {
    chips.replaceChildren(...Array.from(select.selectedOptions, (option) => {
      const chip = document.createElement("button");
      chip.type = "button";
      chip.className = "btn btn-sm btn-light border vt-chip";
      chip.dataset.value = option.value;
      chip.textContent = `${option.textContent} ×`;
      chip.setAttribute("aria-label", `${wrapper.dataset.removeLabel || "×"}: ${option.textContent}`);
      return chip;
    }));
  };
  chips.addEventListener("click", (event) => {
    const chip = event.target.closest(".vt-chip");
    if (!chip) return;
    const option = Array.from(select.options).find((o) => o.value === chip.dataset.value);
    if (option) option.selected = false;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  select.addEventListener("mousedown", (event) => {
    if (event.target.tagName !== "OPTION" || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    event.target.selected = !event.target.selected;
    select.focus();
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
  select.addEventListener("change", render);
  filter.addEventListener("input", () => {
    const wanted = normalize(filter.value.trim());
    for (const option of select.options) {
      option.hidden = wanted !== "" && !normalize(option.textContent).includes(wanted);
    }
  });
  // Enter in the search box picks the only match left instead of submitting the form.
  filter.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    const visible = Array.from(select.options).filter((o) => !o.hidden);
    if (visible.length === 1) {
      visible[0].selected = true;
      filter.value = "";
      filter.dispatchEvent(new Event("input"));
      select.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  render();
}
document.querySelectorAll("[data-vt-multiselect]").forEach(enhanceMultiselect);

// The language switcher returns to the page as it is now: the search box may have changed
// the address (hx-push-url) since the page, and its hidden "next", were rendered.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const next = form.querySelector("input[name='next']");
  if (next && form.querySelector("select[name='language']")) {
    next.value = window.location.pathname + window.location.search;
  }
});

// Forms that do something hard to undo ask first: <form data-confirm="Question?">.
document.addEventListener("submit", (event) => {
  const question = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});

// Print buttons: <button data-print>.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// The questionnaire's pages answer a POST: its answers never go in a URL. Its history entry
// becomes a plain GET of the address without answers, so "back" and "reload" start the
// questionnaire again instead of asking to resend a form, and a shared phone's history
// keeps no answers to resend.
const forgetPost = document.querySelector("[data-vt-forget-post]");
if (forgetPost) window.history.replaceState(null, "", forgetPost.dataset.vtForgetPost);
