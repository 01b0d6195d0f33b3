/* The stages' filling pages (readiness answers, maturity figures): keep what
 * was typed when the session has ended.
 *
 * Each field posts itself through htmx attributes in the template; this
 * script only guards the entries. No inline script is allowed by the CSP, so
 * the elements are found through data attributes.
 */
(function () {
  "use strict";

  var FRAGMENT_HEADER = "X-Filling-Fragment";

  function page() {
    return document.querySelector("[data-filling-page]");
  }

  function form() {
    return document.querySelector("form[data-filling-form]");
  }

  function showStatus(message, css) {
    var root = page();
    var status = document.getElementById("save-status");
    if (!status) {
      // The overview has no status line: put the message above the page.
      status = document.createElement("div");
      status.id = "save-status";
      status.setAttribute("role", "alert");
      root.insertBefore(status, root.firstChild);
    }
    status.textContent = "";
    var line = document.createElement("span");
    line.className = css || "text-danger";
    line.setAttribute("data-testid", "save-error");
    line.textContent = message;
    status.appendChild(line);
  }

  // After an expired session the entries are kept in this tab's session
  // storage, so that they survive logging in again in this same tab.
  function backup(answers) {
    var data = {};
    Array.prototype.forEach.call(answers.elements, function (field) {
      if (!field.name || field.type === "hidden" || field.type === "submit") {
        return;
      }
      if (field.type === "radio") {
        if (field.checked) {
          data[field.name] = field.value;
        }
      } else {
        data[field.name] = field.value;
      }
    });
    try {
      window.sessionStorage.setItem(answers.dataset.backupKey, JSON.stringify(data));
    } catch (error) {
      // Storage full or disabled: the entries are still on the page.
    }
  }

  function restore(answers) {
    var raw = null;
    try {
      raw = window.sessionStorage.getItem(answers.dataset.backupKey);
      window.sessionStorage.removeItem(answers.dataset.backupKey);
    } catch (error) {
      return [];
    }
    if (!raw) {
      return [];
    }
    var data = JSON.parse(raw);
    var changed = [];
    Array.prototype.forEach.call(answers.elements, function (field) {
      if (!field.name || !(field.name in data) || field.disabled) {
        return;
      }
      if (field.type === "radio") {
        if (field.value === data[field.name] && !field.checked) {
          field.checked = true;
          changed.push(field);
        }
      } else if (
        (field.tagName === "TEXTAREA" || field.type === "text") &&
        field.value !== data[field.name]
      ) {
        field.value = data[field.name];
        changed.push(field);
      }
    });
    return changed;
  }

  function source(event) {
    var config = event.detail.requestConfig;
    return (config && config.elt) || event.detail.elt;
  }

  function guardSwap(event) {
    var root = page();
    if (!root || !root.contains(source(event))) {
      return;
    }
    if (!event.detail.xhr.getResponseHeader(FRAGMENT_HEADER)) {
      // Not our answer: after an expired session the request was redirected to
      // the login page. Never put that page into this one; keep what is typed.
      event.detail.shouldSwap = false;
      var answers = form();
      if (answers && answers.contains(source(event))) {
        backup(answers);
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
    if (!page()) {
      return;
    }
    document.body.addEventListener("htmx:beforeSwap", guardSwap);
    document.body.addEventListener("htmx:sendError", onSendError);
    var answers = form();
    if (!answers) {
      return;
    }
    var changed = restore(answers);
    if (changed.length) {
      showStatus(page().dataset.restoredMessage, "text-warning-emphasis");
      // htmx sets the fields up on DOMContentLoaded, after this deferred
      // script: save the restored fields once the page has fully loaded.
      window.addEventListener("load", function () {
        changed.forEach(function (field) {
          if (window.htmx) {
            window.htmx.trigger(field, "change");
          }
        });
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
