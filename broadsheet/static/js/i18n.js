/* The words the site's scripts show, in the page's language.
 *
 * The server puts them into the page as JSON (templates/includes/js_i18n.html,
 * from broadsheet/core/js_strings.py, through Django's catalogues), so no script
 * keeps display text of its own:
 *   BS.t("story.loaded", { title })         -> "Next story: …"
 *   BS.tn("feed.new", 3, { count: 3 })      -> "3 new stories"
 * A plural is sent once per Intl.PluralRules category; the page's language
 * (<html lang>) picks the category. Placeholders are {name}; the result is
 * text, for textContent, never markup.
 */
(() => {
  "use strict";

  let strings = null;
  let rules = null;

  const load = () => {
    if (strings) return strings;
    const element = document.getElementById("bs-i18n");
    try {
      strings = JSON.parse(element ? element.textContent : "{}");
    } catch {
      strings = {};
    }
    strings.messages = strings.messages || {};
    strings.plurals = strings.plurals || {};
    return strings;
  };

  const fill = (text, vars) =>
    text.replace(/\{(\w+)\}/g, (whole, name) => (vars && name in vars ? String(vars[name]) : whole));

  const t = (key, vars) => {
    const text = load().messages[key];
    if (typeof text !== "string") {
      if (window.console) console.warn(`BS.t: no string "${key}"`);
      return key;
    }
    return fill(text, vars);
  };

  const tn = (key, n, vars) => {
    const forms = load().plurals[key];
    if (!forms) {
      if (window.console) console.warn(`BS.tn: no plural "${key}"`);
      return key;
    }
    if (!rules) {
      try {
        rules = new Intl.PluralRules(document.documentElement.lang || "en");
      } catch {
        rules = new Intl.PluralRules("en");
      }
    }
    const text = forms[rules.select(n)] || forms.other;
    return fill(text, vars);
  };

  window.BS = Object.assign(window.BS || {}, { t, tn });
})();
