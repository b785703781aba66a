/* Backtrack's own script. htmx does the swapping; this file only adds what a phone user needs:
   a status message when a request fails, and focus moved to what was just swapped in. */
(function () {
  "use strict";

  function announce(message) {
    var region = document.getElementById("status");
    if (!region) { return; }
    var p = document.createElement("p");
    p.className = "flash flash--error";
    p.textContent = message;
    region.replaceChildren(p);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 400 || status === 403) {
      announce("That did not work. Please reload the page and try again.");
    } else if (status === 404) {
      announce("That item is no longer on your plan. Please reload the page.");
    } else {
      announce("Something went wrong on our side. Nothing was lost: please try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    announce("You seem to be offline. Nothing was sent. Please try again when you are back online.");
  });

  /* The server names the region to focus after a swap (HX-Trigger-After-Settle), so keyboard and
     screen-reader users land on the result: an urgent message first, else the region itself. */
  document.addEventListener("focusregion", function (event) {
    var region = document.querySelector(event.detail.selector);
    if (!region) { return; }
    var target = region.querySelector("[role=alert]") || region;
    if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
    target.focus();
  });
})();
