/* The portal's only script: small enhancements, loaded with `defer` from our own origin (the CSP allows no
   other). Every page works without it: the menus are <details>, every condition is checked by the server. */
(function () {
  "use strict";

  // After a refused form the error summary gets the focus, so keyboards and screen readers start there.
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }

  // A question shown only when an option of the same page is chosen appears and disappears as the person
  // answers. Hidden, its fieldset is disabled too, so nothing in it is sent.
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    var dependants = form.querySelectorAll("[data-condition-field]");
    if (!dependants.length) {
      return;
    }
    function chosen(box) {
      var inputs = form.querySelectorAll('input[name="' + box.getAttribute("data-condition-field") + '"]');
      if (!inputs.length) {
        return true; // the condition is on another page: the server already decided
      }
      return Array.prototype.some.call(inputs, function (input) {
        return input.checked && !input.matches(":disabled") &&
          input.value === box.getAttribute("data-condition-value");
      });
    }
    function update() {
      // Conditions may depend on questions that are themselves conditional: settle in a few passes.
      for (var pass = 0; pass < dependants.length; pass += 1) {
        var changed = false;
        Array.prototype.forEach.call(dependants, function (box) {
          var shown = chosen(box);
          if (box.hidden === shown) {
            box.hidden = !shown;
            box.disabled = !shown;
            changed = true;
          }
        });
        if (!changed) {
          break;
        }
      }
    }
    form.addEventListener("change", update);
    update();
  });

  // Menus are <details>: closed on a phone, kept open where there is room for them (data-open-from).
  Array.prototype.forEach.call(document.querySelectorAll("details[data-open-from]"), function (menu) {
    var wide = window.matchMedia("(min-width: " + menu.getAttribute("data-open-from") + ")");
    function follow() {
      menu.open = wide.matches;
    }
    follow();
    wide.addEventListener("change", follow);
  });
})();
