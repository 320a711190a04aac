/* Form ศจพ.2 without round trips: add member rows in place, mark removed rows, and hide the
   indicator questions that do not apply to a member's age. The form works without this
   file: the "add a member row" button then asks the server for the row, and every question
   stays visible with the ages it applies to. */
(function () {
  if (window.cheepaoForm2) return;
  window.cheepaoForm2 = true;

  var BE_OFFSET = 543;

  function form() { return document.getElementById("form2"); }

  function fieldValue(member, suffix) {
    var el = member.querySelector("[name$='-" + suffix + "']");
    if (!el) return null;
    if (el.type === "checkbox") return el.checked;
    return el.value;
  }

  function ageOf(member) {
    var f = form();
    var ref = f && f.dataset.reference ? new Date(f.dataset.reference + "T00:00:00") : new Date();
    var typed = (fieldValue(member, "birth_date") || "").trim();
    var m = typed.match(/^(\d{1,2})\s*[\/.\-]\s*(\d{1,2})\s*[\/.\-]\s*(\d{4})$/);
    if (m) {
      var y = parseInt(m[3], 10) - BE_OFFSET, mo = parseInt(m[2], 10), d = parseInt(m[1], 10);
      var age = ref.getFullYear() - y;
      if (ref.getMonth() + 1 < mo || (ref.getMonth() + 1 === mo && ref.getDate() < d)) age -= 1;
      return Math.max(0, age);
    }
    var given = fieldValue(member, "age");
    return given === null || given === "" ? null : parseInt(given, 10);
  }

  function refresh(member) {
    var age = ageOf(member);
    member.querySelectorAll(".asked").forEach(function (box) {
      var lo = box.dataset.ageMin, hi = box.dataset.ageMax, where = box.dataset.where;
      var show = true;
      if (age !== null && !isNaN(age)) {
        if (lo !== "" && age < parseInt(lo, 10)) show = false;
        if (hi !== "" && age > parseInt(hi, 10)) show = false;
      }
      if (show && where && where !== "newborn") {
        var flag = fieldValue(member, where);
        show = flag === true || flag === "1";
      }
      box.hidden = !show;
    });
    var removed = member.querySelector("[name$='-DELETE']");
    member.classList.toggle("removed", !!(removed && removed.checked));
  }

  function refreshAll() {
    document.querySelectorAll("#members [data-member]").forEach(refresh);
  }

  function addMember(event) {
    var tpl = document.getElementById("member-template");
    var box = document.getElementById("members");
    if (!tpl || !box) return;
    var prefix = box.dataset.prefix;
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var max = document.getElementById("id_" + prefix + "-MAX_NUM_FORMS");
    var n = parseInt(total.value, 10);
    if (max && n >= parseInt(max.value, 10)) return;
    event.preventDefault();
    var html = tpl.innerHTML.replace(/__prefix__/g, String(n)).replace(/__num__/g, String(n + 1));
    box.insertAdjacentHTML("beforeend", html);
    total.value = String(n + 1);
    var added = box.lastElementChild;
    refresh(added);
    var first = added.querySelector("input, select");
    if (first) first.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-member]");
    if (button) addMember(event);
  });
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var member = event.target.closest && event.target.closest("#members [data-member]");
      if (member) refresh(member);
    });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refreshAll);
  } else {
    refreshAll();
  }
  document.addEventListener("htmx:afterSettle", refreshAll);
})();
