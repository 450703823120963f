/* What the portal adds to Django admin's scripts (templates/admin/base_site.html). A static file: the CSP
 * allows no inline script. */
(function () {
    "use strict";

    function meta(name) {
        return (document.querySelector('meta[name="portal-admin-' + name + '"]') || {}).content || "";
    }

    var labels = {
        languageSwitch: meta("language-switch"),
        sums: meta("sums"),
        overTotal: meta("over-total")
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
        /* Django's autocomplete (select2) types into a search box of its own: it gets the field's label. */
        root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (search) {
            var container = search.closest(".select2-container");
            var select = container && container.previousElementSibling;
            var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
            if (label) {
                search.setAttribute("aria-label", label.textContent.replace(/:\s*$/, "").trim());
            }
        });
        var languageSwitch = document.getElementById("modeltranslation-main-switch");
        if (languageSwitch && labels.languageSwitch && !languageSwitch.hasAttribute("aria-label")) {
            languageSwitch.setAttribute("aria-label", labels.languageSwitch);
        }
    }

    /* Dialogue counts: the sums per attribute (attendance) or per question (option counts) as staff type, and
     * which attribute adds up to more people than the total. The server checks the same on saving. */
    function countTotals(group, selectSuffix, totalValue) {
        var box = group.querySelector(".count-totals");
        if (!box) {
            box = document.createElement("p");
            box.className = "count-totals";
            box.setAttribute("role", "status");
            group.appendChild(box);
        }
        var sums = {};
        var order = [];
        var total = null;
        group.querySelectorAll('select[name$="' + selectSuffix + '"]').forEach(function (select) {
            var prefix = select.name.slice(0, -selectSuffix.length);
            if (prefix.indexOf("__prefix__") !== -1) {
                return;
            }
            var removed = group.querySelector('input[name="' + prefix + '-DELETE"]');
            var count = group.querySelector('input[name="' + prefix + '-count"]');
            var option = select.options[select.selectedIndex];
            if (!option || !option.value || (removed && removed.checked) || !count) {
                return;
            }
            var n = parseInt(count.value, 10) || 0;
            if (totalValue && option.value === totalValue) {
                total = (total || 0) + n;
                return;
            }
            var key = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : option.text;
            if (!(key in sums)) {
                sums[key] = 0;
                order.push(key);
            }
            sums[key] += n;
        });
        box.textContent = "";
        if (!order.length && total === null) {
            return;
        }
        box.appendChild(document.createTextNode(labels.sums + " "));
        var parts = [];
        if (total !== null) {
            parts.push([totalValue && group.querySelector('option[value="' + totalValue + '"]').text, total, false]);
        }
        order.forEach(function (key) {
            parts.push([key, sums[key], total !== null && sums[key] > total]);
        });
        parts.forEach(function (part, index) {
            var item = document.createElement("span");
            item.textContent = (index ? " · " : "") + part[0] + ": " + part[1] + (part[2] ? " (" + labels.overTotal + ")" : "");
            if (part[2]) {
                item.className = "over";
            }
            box.appendChild(item);
        });
    }

    function watchCounts(groupId, selectSuffix, totalValue) {
        var group = document.getElementById(groupId);
        if (!group) {
            return;
        }
        var update = function () {
            countTotals(group, selectSuffix, totalValue);
        };
        group.addEventListener("input", update);
        group.addEventListener("change", update);
        update();
    }

    window.addEventListener("load", function () {
        watchCounts("attendance-group", "-pair", "total/all");
        watchCounts("option_counts-group", "-option", null);
        keepTabsLocal();
        fixTabs(document);
        // Inline rows added with "add another" get their tabs when added.
        new MutationObserver(function () {
            fixTabs(document);
        }).observe(document.body, {childList: true, subtree: true});
    });
})();
