/* The breaking-news banner under the masthead (templates/alerts/includes/
 * breaking_banner.html). The server renders the latest breaking story while
 * its time lasts; this shows a new one as soon as it is published (realtime.js
 * re-dispatches the "breaking" stream's "story.breaking" events), hides the
 * banner when its time is up, and lets the reader close it — remembered per
 * story, so the next breaking story shows again.
 */
(() => {
  "use strict";

  const CLOSED_KEY = "broadsheet:breaking-closed";
  const MAX_TIMEOUT = 2 ** 31 - 1;

  const start = () => {
    const banner = document.querySelector("[data-breaking]");
    if (!banner) return;
    const link = banner.querySelector("[data-breaking-link]");
    const close = banner.querySelector("[data-breaking-close]");
    const minutes = Number.parseInt(banner.dataset.breakingMinutes || "60", 10);
    // Each edition shows its own breaking stories; the stream carries all.
    const edition = banner.dataset.breakingEdition || "";
    let timer = null;

    const closedId = () => {
      try {
        return window.localStorage.getItem(CLOSED_KEY);
      } catch {
        return null; // storage blocked: the banner simply cannot be closed for good
      }
    };

    const hide = () => {
      banner.hidden = true;
      clearTimeout(timer);
    };

    const show = (id, title, url, until) => {
      if (String(id) === closedId() || Date.now() >= until) {
        hide();
        return;
      }
      banner.dataset.breakingId = String(id);
      link.textContent = title; // text, never markup
      link.setAttribute("href", url);
      close.hidden = false;
      banner.hidden = false;
      clearTimeout(timer);
      timer = setTimeout(hide, Math.min(until - Date.now(), MAX_TIMEOUT));
    };

    close.addEventListener("click", () => {
      try {
        window.localStorage.setItem(CLOSED_KEY, banner.dataset.breakingId || "");
      } catch {
        // not remembered; closed for this page
      }
      hide();
    });

    const rendered = banner.dataset.breakingId;
    if (rendered) {
      const until = Number.parseInt(banner.dataset.breakingUntil || "0", 10);
      show(rendered, link.textContent, link.getAttribute("href"), until);
    }

    document.addEventListener("broadsheet:live", (event) => {
      const { stream, kind, data } = event.detail || {};
      if (stream !== "breaking" || kind !== "story.breaking" || !data) return;
      const { id, title, url } = data;
      if (!Number.isInteger(id) || typeof title !== "string" || typeof url !== "string") return;
      if (data.edition && data.edition !== edition) return;
      // Only a path on this site: the banner never links elsewhere.
      if (!url.startsWith("/") || url.startsWith("//")) return;
      // The story's own path already carries its edition's prefix (/ru/…).
      show(id, title, url, Date.now() + minutes * 60000);
    });
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
