/* Boosted navigation (hx-boost) swaps the page body without a page load, so screen readers
   would not announce the new page: move focus to its heading, as a page load would. */
document.addEventListener("htmx:afterSettle", function (event) {
  if (!event.detail || !event.detail.boosted) return;
  var heading = document.querySelector("main h1");
  if (heading) heading.focus({ preventScroll: true });
});
