/* The review page: keep the assessor's input when a save does not come back
 * as a score fragment (an expired session answers with the login page, a
 * server error with an error page), and say so instead of swapping it in.
 *
 * No inline script is allowed by the CSP, so the page's behaviour lives here and
 * finds its elements through data attributes.
 */
(function () {
  "use strict";

  var FRAGMENT_HEADER = "X-Review-Fragment";

  document.addEventListener("htmx:beforeSwap", function (event) {
    var page = document.querySelector("[data-review-page]");
    var target = event.detail.target;
    if (!page || !target || !page.contains(target)) {
      return;
    }
    if (event.detail.xhr.getResponseHeader(FRAGMENT_HEADER) === "1") {
      return;
    }
    event.detail.shouldSwap = false;
    var status = target.querySelector("[data-save-status]");
    if (status) {
      status.textContent = page.dataset.notSaved;
      status.className = "small text-danger ms-2";
    }
  });
})();
