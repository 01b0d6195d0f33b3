/* The registration form: autosave, the live indicator count, and keeping the
 * coordinator's entries on the page when the session has ended.
 *
 * No inline script is allowed by the CSP, so the page's behaviour lives here and
 * finds its elements through data attributes.
 */
(function () {
  "use strict";

  var FRAGMENT_HEADER = "X-Registration-Fragment";

  function page() {
    return document.querySelector("[data-registration-page]");
  }

  function updateCount() {
    var count = document.getElementById("indicator-count");
    if (!count) {
      return;
    }
    var ticked = document.querySelectorAll(
      "#picker input[type=checkbox][name=indicators]:checked"
    ).length;
    var hidden = document.querySelectorAll(
      "#picker input[type=hidden][name=indicators]"
    ).length;
    var n = ticked + hidden;
    var low = parseInt(count.dataset.min, 10);
    var high = parseInt(count.dataset.max, 10);
    count.textContent = count.dataset.template.replace("__N__", String(n));
    var within = n >= low && n <= high;
    count.classList.toggle("text-success", within);
    count.classList.toggle("text-danger", !within);
  }

  function showStatus(message, css) {
    var status = document.getElementById("save-status");
    if (status) {
      status.textContent = "";
      var line = document.createElement("span");
      line.className = css || "text-danger";
      line.setAttribute("data-testid", "save-error");
      line.textContent = message;
      status.appendChild(line);
    }
  }

  // After an expired session the entries are also kept in this tab's session
  // storage, so that they survive logging in again in this same tab.
  function backupKey(form) {
    return "registration-draft:" + form.getAttribute("action");
  }

  function backup(form) {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value !== "string" || name === "csrfmiddlewaretoken") {
        return;
      }
      (data[name] = data[name] || []).push(value);
    });
    try {
      window.sessionStorage.setItem(backupKey(form), JSON.stringify(data));
    } catch (error) {
      // Storage full or disabled: the entries are still on the page.
    }
  }

  function restore(form) {
    var raw = null;
    try {
      raw = window.sessionStorage.getItem(backupKey(form));
      window.sessionStorage.removeItem(backupKey(form));
    } catch (error) {
      return false;
    }
    if (!raw) {
      return false;
    }
    var data = JSON.parse(raw);
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.closest("[data-no-autosave]") || field.type === "hidden") {
        return;
      }
      if (field.type === "checkbox") {
        if (data[field.name + "_present"]) {
          field.checked = (data[field.name] || []).indexOf(field.value) !== -1;
        }
      } else if (data[field.name]) {
        field.value = data[field.name][0];
      }
    });
    return true;
  }

  function onEdit(event) {
    var form = event.currentTarget;
    var target = event.target;
    // The picker's search fields only filter the list; the file inputs belong
    // to their own forms. Neither is a change to save.
    if (target.closest("[data-no-autosave]") || target.type === "file") {
      return;
    }
    if (target.name === "indicators") {
      updateCount();
    }
    if (window.htmx) {
      window.htmx.trigger(form, "autosave");
    }
  }

  function keepSearchOnEnter(event) {
    // Enter in the search box would submit the whole form; it should search.
    if (event.key === "Enter" && event.target.closest("[data-no-autosave]")) {
      event.preventDefault();
    }
  }

  function source(event) {
    // The element that made the request; detail.elt is where the answer goes.
    var config = event.detail.requestConfig;
    return (config && config.elt) || event.detail.elt;
  }

  function guardSwap(event) {
    var root = page();
    if (!root || !root.contains(source(event))) {
      return;
    }
    var xhr = event.detail.xhr;
    if (!xhr.getResponseHeader(FRAGMENT_HEADER)) {
      // Not our answer: after an expired session the request was redirected to
      // the login page. Never put that page into the form; keep what is typed.
      event.detail.shouldSwap = false;
      var form = document.querySelector("form[data-autosave]");
      if (form && form === source(event)) {
        backup(form);
      }
      showStatus(root.dataset.sessionMessage);
    }
  }

  function onSendError(event) {
    var root = page();
    if (root && root.contains(source(event))) {
      showStatus(root.dataset.offlineMessage);
    }
  }

  function init() {
    var form = document.querySelector("form[data-autosave]");
    if (!form) {
      return;
    }
    form.addEventListener("change", onEdit);
    form.addEventListener("input", function (event) {
      // Text fields save while typing; boxes and lists save on "change".
      if (event.target.type === "text" || event.target.type === "email" ||
          event.target.type === "tel" || event.target.tagName === "TEXTAREA") {
        onEdit(event);
      }
    });
    form.addEventListener("keydown", keepSearchOnEnter);
    document.body.addEventListener("htmx:beforeSwap", guardSwap);
    document.body.addEventListener("htmx:sendError", onSendError);
    document.body.addEventListener("htmx:afterSettle", updateCount);
    if (restore(form)) {
      showStatus(page().dataset.restoredMessage, "text-warning-emphasis");
      // htmx sets the form up on DOMContentLoaded, after this deferred script:
      // ask it to save once the page has fully loaded.
      window.addEventListener("load", function () {
        if (window.htmx) {
          window.htmx.trigger(form, "autosave");
        }
      });
    }
    updateCount();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
