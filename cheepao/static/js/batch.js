/* A step of the certification workflow may ask a question before it is taken (`confirm`
   in cheepao/verification/workflows/<version>.yaml; the page carries it, in its language,
   as data-confirm on the step's button). Without this file the step is taken without the
   question; the server checks everything either way. */
(function () {
  if (window.cheepaoBatchConfirm) return;
  window.cheepaoBatchConfirm = true;
  document.addEventListener(
    "click",
    function (event) {
      var button = event.target.closest && event.target.closest("button[data-confirm]");
      if (button && !window.confirm(button.getAttribute("data-confirm"))) {
        event.preventDefault();
        event.stopPropagation();
      }
    },
    true
  );
})();
