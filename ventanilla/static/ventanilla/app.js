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
