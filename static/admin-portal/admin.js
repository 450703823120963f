/* What the portal adds to Django admin's scripts (templates/admin/base_site.html). A static file: the CSP
 * allows no inline script. */
(function () {
    "use strict";

    var labels = {
        languageSwitch: (document.querySelector('meta[name="portal-admin-language-switch"]') || {}).content
    };

    /* modeltranslation's language tabs (jQuery UI): the tab is the <li role="tab">; its link is only where
     * jQuery UI read the panel's id from. Without its href the link is no longer a control nested inside
     * another (axe-core nested-interactive); jQuery UI finds panels through aria-controls after that, and a
     * tab whose link has no href is one of these local tabs (never one to load from elsewhere). */
    function keepTabsLocal() {
        var jq = window.jQuery || (window.django && window.django.jQuery);
        var tabs = jq && jq.ui && jq.ui.tabs;
        if (!tabs || tabs.prototype.__portalLocal) {
            return;
        }
        var isLocal = tabs.prototype._isLocal;
        tabs.prototype._isLocal = function (anchor) {
            return !anchor.hasAttribute("href") || isLocal.call(this, anchor);
        };
        tabs.prototype.__portalLocal = true;
    }

    function fixTabs(root) {
        root.querySelectorAll(".ui-tabs-nav a.ui-tabs-anchor[href]").forEach(function (link) {
            link.setAttribute("data-href", link.getAttribute("href"));
            link.removeAttribute("href");
        });
        var languageSwitch = document.getElementById("modeltranslation-main-switch");
        if (languageSwitch && labels.languageSwitch && !languageSwitch.hasAttribute("aria-label")) {
            languageSwitch.setAttribute("aria-label", labels.languageSwitch);
        }
    }

    window.addEventListener("load", function () {
        keepTabsLocal();
        fixTabs(document);
        // Inline rows added with "add another" get their tabs when added.
        new MutationObserver(function () {
            fixTabs(document);
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
