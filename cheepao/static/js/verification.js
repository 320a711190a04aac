/* Form ศจพ.1: show, as the income and the number of people are typed, what the income per
   person decides (I3: below the threshold the problem stands, at or above it does not), and
   set the problem's mark or new-problem box to agree. The server enforces the same rule
   (cheepao/verification/services.py) and the page states it without this file; the
   thresholds and the sentences come from the page (data-* attributes), in its language.
   Money is counted in whole satang, so the comparison is exact, as on the server:
   income >= threshold x people passes. */
(function () {
  if (window.cheepaoForm1) return;
  window.cheepaoForm1 = true;

  /* "40,000.50" -> 4000050 satang, rounded half up like the server; null if not an amount. */
  function satang(text) {
    var t = (text || "").replace(/,/g, "").trim();
    var m = t.match(/^(\d{1,10})(?:\.(\d*))?$/);
    if (!m) return null;
    var frac = ((m[2] || "") + "000").slice(0, 3);
    var value = parseInt(m[1], 10) * 100 + parseInt(frac.slice(0, 2), 10);
    if (parseInt(frac.charAt(2), 10) >= 5) value += 1;
    return value;
  }

  function people(text) {
    var t = (text || "").trim();
    if (!/^\d{1,2}$/.test(t)) return null;
    var n = parseInt(t, 10);
    return n >= 1 && n <= 99 ? n : null;
  }

  /* Satang -> "38,000" or "37,999.99", as the server prints baht. */
  function baht(value) {
    var whole = Math.floor(value / 100), cents = value % 100;
    var text = whole.toLocaleString("en-US");
    return cents === 0 ? text : text + "." + (cents < 10 ? "0" : "") + cents;
  }

  function setLocked(input, locked) {
    if (locked) input.setAttribute("data-income-locked", "");
    else input.removeAttribute("data-income-locked");
  }

  function apply(form, rule, fails) {
    var code = rule.dataset.code;
    var radios = form.querySelectorAll("input[type=radio][name='mark_" + code + "']");
    var box = form.querySelector("input[type=checkbox][name=added][value='" + code + "']");
    radios.forEach(function (radio) {
      var agrees = fails === null || radio.value === (fails ? "confirmed" : "wrong");
      if (fails !== null && agrees) radio.checked = true;
      radio.disabled = !agrees;
    });
    if (box) {
      if (fails !== null) box.checked = fails;
      box.disabled = fails === false;
      setLocked(box, fails === true);
    }
  }

  function refresh() {
    var form = document.querySelector("form.verify-form");
    if (!form) return;
    var incomeInput = form.querySelector("[name=income_year]");
    var peopleInput = form.querySelector("[name=members_now]");
    var income = incomeInput ? satang(incomeInput.value) : null;
    var n = peopleInput ? people(peopleInput.value) : null;
    form.querySelectorAll("[data-income-rule]").forEach(function (rule) {
      var now = rule.querySelector("[data-income-now]");
      var fails = null;
      if (income !== null && n !== null) {
        fails = income < parseInt(rule.dataset.threshold, 10) * n;
        var text = fails ? rule.dataset.below : rule.dataset.passes;
        now.textContent = text.replace("{amount}", baht(Math.floor(income / n)));
      } else {
        now.textContent = "";
      }
      rule.classList.toggle("income-fails", fails === true);
      rule.classList.toggle("income-passes", fails === false);
      apply(form, rule, fails);
    });
  }

  document.addEventListener("input", function (event) {
    var name = event.target && event.target.name;
    if (name === "income_year" || name === "members_now") refresh();
  });
  /* A new-problem box the income decides cannot be unticked while the income says so. */
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.hasAttribute && target.hasAttribute("data-income-locked")) {
      event.preventDefault();
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
  document.addEventListener("htmx:afterSettle", refresh);
})();
