/* Broadsheet: small progressive enhancements. Every page works without this file.
 *
 *  - Next story: when the reader nears the end of an article, the next story
 *    is fetched and appended; the address bar and title follow the story most
 *    in view (history.replaceState, see syncHistory below).
 *  - Embeds: the provider's HTML stays in an inert <template> until the reader
 *    asks for it, so no third-party request leaves the browser before a click.
 *  - Newsfeed (htmx): focus and announcements when "More" swaps in items, and a
 *    plain navigation if a clicked "More" request fails.
 */
(() => {
  "use strict";

  const MAX_STORIES = 10; // stories in one stream, the first included
  const PREFETCH_MARGIN = "0px 0px 75% 0px"; // start fetching this far before the end

  /* One polite live region for the whole page. */
  let statusRegion = null;
  function announce(message) {
    if (!statusRegion) {
      statusRegion = document.createElement("div");
      statusRegion.setAttribute("role", "status");
      statusRegion.setAttribute("aria-live", "polite");
      statusRegion.className = "visually-hidden";
      statusRegion.dataset.announcer = "";
      // Hidden visually even before (or without) the stylesheet's own rule.
      Object.assign(statusRegion.style, {
        position: "absolute",
        width: "1px",
        height: "1px",
        margin: "-1px",
        padding: "0",
        overflow: "hidden",
        clip: "rect(0 0 0 0)",
        whiteSpace: "nowrap",
        border: "0",
      });
      document.body.append(statusRegion);
    }
    // Clear first so that repeating the same message is announced again.
    statusRegion.textContent = "";
    window.setTimeout(() => {
      statusRegion.textContent = message;
    }, 50);
  }

  /* ---------------------------------------------------------------- embeds */

  function loadEmbed(figure, template, consent) {
    const content = template.content.cloneNode(true);
    // Scripts from a <template> (or from a page fetched for the story stream,
    // where DOMParser marks them inert) must be recreated to run once inserted.
    for (const old of content.querySelectorAll("script")) {
      const script = document.createElement("script");
      for (const { name, value } of old.attributes) script.setAttribute(name, value);
      script.textContent = old.textContent;
      old.replaceWith(script);
    }
    template.remove();
    consent.replaceWith(content);
    figure.dataset.embedLoaded = "";
    const frame = figure.querySelector("iframe");
    if (frame) {
      frame.focus();
    } else {
      figure.tabIndex = -1;
      figure.focus();
    }
  }

  function initEmbeds(root) {
    for (const figure of root.querySelectorAll("[data-embed]")) {
      if ("embedReady" in figure.dataset) continue;
      figure.dataset.embedReady = "";
      const template = figure.querySelector("template[data-embed-html]");
      const button = figure.querySelector("[data-embed-load]");
      if (!template || !button) continue;
      const consent = button.closest(".embed__consent") || button.parentElement;
      button.hidden = false;
      button.addEventListener("click", () => loadEmbed(figure, template, consent), { once: true });
    }
  }

  /* ---------------------------------------------------------- next story */

  function initStoryStream(stream) {
    const first = stream.querySelector("[data-story]");
    if (!first || !("IntersectionObserver" in window) || !("fetch" in window)) return;

    const entry = { url: window.location.href, title: document.title };
    const seen = new Set([new URL(first.dataset.url || entry.url, entry.url).pathname]);
    let current = first;
    let loading = false;

    const observer = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (e.isIntersecting) loadNext(e.target);
        }
      },
      { rootMargin: PREFETCH_MARGIN },
    );

    function watch(block) {
      if (!block) return;
      if (stream.querySelectorAll("[data-story]").length >= MAX_STORIES) return; // the link stays
      observer.observe(block);
    }

    async function loadNext(block) {
      if (loading || !block.isConnected) return;
      const link = block.querySelector("[data-next-story-link]");
      if (!link) return;
      const url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || seen.has(url.pathname)) {
        observer.unobserve(block);
        return;
      }
      loading = true;
      observer.unobserve(block);
      block.classList.add("is-loading");
      stream.setAttribute("aria-busy", "true");
      announce(window.BS.t("story.loading"));
      try {
        const response = await fetch(url, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
        const type = response.headers.get("Content-Type") || "";
        if (!response.ok || !type.includes("text/html")) {
          throw new Error(`HTTP ${response.status} ${type}`);
        }
        if (new URL(response.url).origin !== window.location.origin) {
          throw new Error("redirected off the site");
        }
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const story =
          doc.querySelector("[data-story-stream] [data-story]") || doc.querySelector("[data-story]");
        if (!story) throw new Error("no story in the page");
        const storyPath = new URL(story.dataset.url || response.url, url).pathname;
        if (seen.has(storyPath)) {
          // A loop (or a redirect back): keep the plain link.
          block.classList.remove("is-loading");
          return;
        }
        seen.add(storyPath);
        const next = doc.querySelector("[data-next-story]");
        const article = document.importNode(story, true);
        for (const img of article.querySelectorAll("img[fetchpriority]")) {
          img.removeAttribute("fetchpriority"); // the reader's current story keeps priority
        }
        const nodes = [article];
        const nextBlock = next ? document.importNode(next, true) : null;
        if (nextBlock) nodes.push(nextBlock);
        // A keyboard reader who tabbed to the link must not lose focus with it:
        // take them to the story it named.
        const hadFocus = block.contains(document.activeElement);
        block.replaceWith(...nodes);
        if (hadFocus) {
          const title = article.querySelector(".story__title, h1, h2") || article;
          title.tabIndex = -1;
          title.focus();
        }
        initEmbeds(article);
        if (window.htmx) window.htmx.process(article);
        const heading = article.querySelector(".story__title, h1, h2");
        const headline = heading ? heading.textContent : article.dataset.title || "";
        announce(window.BS.t("story.loaded", { title: headline.trim() }));
        watch(nextBlock);
        scheduleSync();
      } catch (error) {
        // Leave the link: without our help it simply navigates.
        block.classList.remove("is-loading");
        block.dataset.nextStoryFailed = "";
        announce(window.BS.t("story.failed"));
        if (window.console) console.warn("Broadsheet: next story not loaded:", error.message);
      } finally {
        loading = false;
        stream.removeAttribute("aria-busy");
      }
    }

    /* The story most in view owns the address bar and the title.
     *
     * replaceState, not pushState: scrolling is reading, not navigating. With
     * replaceState the entry the reader arrived on follows them from story to
     * story, so Back leaves the stream for wherever they came from (one press,
     * however many stories they read), while a reload, a bookmark or a shared
     * link names the story actually on screen. pushState would add an entry
     * per story scrolled past and turn Back into "scroll up a bit", trapping
     * the reader in the page.
     *
     * If the reader later returns to an entry that now names a later story
     * and the page is not restored from the back/forward cache, the browser
     * loads that story on its own; restoring the old scroll offset there would
     * land somewhere random (usually at its end), so such entries use manual
     * scroll restoration and open at the top of the story.
     */
    function mostInView() {
      const height = window.innerHeight || document.documentElement.clientHeight;
      let best = current;
      let bestVisible = -1;
      for (const story of stream.querySelectorAll("[data-story]")) {
        const box = story.getBoundingClientRect();
        const visible = Math.min(box.bottom, height) - Math.max(box.top, 0);
        if (visible > bestVisible) {
          best = story;
          bestVisible = visible;
        }
      }
      return best;
    }

    function syncHistory() {
      const story = mostInView();
      if (story === current) return;
      current = story;
      const isFirst = story === first;
      const url = isFirst ? entry.url : new URL(story.dataset.url, window.location.href).href;
      const title = isFirst ? entry.title : story.dataset.title || entry.title;
      try {
        if ("scrollRestoration" in window.history) {
          window.history.scrollRestoration = isFirst ? "auto" : "manual";
        }
        window.history.replaceState(window.history.state, "", url);
      } catch (error) {
        // Rate-limited or refused: the title still follows.
      }
      document.title = title;
    }

    let frame = 0;
    function scheduleSync() {
      if (frame) return;
      frame = window.requestAnimationFrame(() => {
        frame = 0;
        if (stream.querySelectorAll("[data-story]").length > 1) syncHistory();
      });
    }

    window.addEventListener("scroll", scheduleSync, { passive: true });
    window.addEventListener("resize", scheduleSync, { passive: true });
    watch(stream.querySelector("[data-next-story]"));
  }

  /* ---------------------------------------------------- newsfeed (htmx) */

  function initNewsfeed() {
    let pending = null;

    document.addEventListener("htmx:beforeSwap", (event) => {
      const target = event.detail.target;
      pending = null;
      if (!target || !target.matches(".feed-more") || !target.parentElement) return;
      const list = target.parentElement;
      pending = {
        list,
        before: list.querySelectorAll(".feed-item").length,
        // The reader was on "More": after the swap, take them to the first new story.
        after: target.contains(document.activeElement) ? target.previousElementSibling : undefined,
      };
    });

    document.addEventListener("htmx:afterSettle", () => {
      if (!pending) return;
      const { list, before, after } = pending;
      pending = null;
      const added = list.querySelectorAll(".feed-item").length - before;
      if (added > 0) announce(window.BS.tn("feed.more", added, { count: added }));
      if (after === undefined) return;
      let node = after ? after.nextElementSibling : list.firstElementChild;
      while (node) {
        const link = node.querySelector("a[href]");
        if (link) {
          link.focus();
          return;
        }
        node = node.nextElementSibling;
      }
    });

    // A "More" the reader clicked whose request failed: fall back to the plain link.
    function fallBack(event) {
      const elt = event.detail.elt;
      const trigger = event.detail.requestConfig && event.detail.requestConfig.triggeringEvent;
      if (elt && elt.matches("a[href]") && trigger && trigger.type === "click") {
        window.location.assign(elt.href);
      }
    }
    document.addEventListener("htmx:responseError", fallBack);
    document.addEventListener("htmx:sendError", fallBack);
  }

  /* ----------------------------------------------------------------- boot */

  // Content added after load (older posts by htmx, live posts by live.js,
  // which dispatches "broadsheet:inserted" on them) gets click-to-load embeds too.
  document.addEventListener("htmx:load", (event) => initEmbeds(event.detail.elt));
  document.addEventListener("broadsheet:inserted", (event) => initEmbeds(event.target));

  function boot() {
    initEmbeds(document);
    for (const stream of document.querySelectorAll("[data-story-stream]")) initStoryStream(stream);
    initNewsfeed();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot, { once: true });
  } else {
    boot();
  }
})();

/* ------------------------------------------------------------ galleries */
// Photo galleries: left/right arrow keys and a horizontal swipe (both
// mirrored on right-to-left pages) follow the
// page's Previous/Next links. Without JS those links (and the list of all
// photos) work on their own.
(function () {
  "use strict";

  function follow(gallery, which) {
    const link = gallery.querySelector(which === "next" ? "[data-gallery-next]" : "[data-gallery-prev]");
    if (link) window.location.assign(link.href);
  }

  function initGallery(gallery) {
    document.addEventListener("keydown", (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
      const target = event.target;
      if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
      // Right-to-left pages read the other way: the arrow toward the end
      // of the line (left in Arabic) is "next", as the links are laid out.
      const rtl = getComputedStyle(gallery).direction === "rtl";
      if (event.key === "ArrowLeft") follow(gallery, rtl ? "next" : "prev");
      else if (event.key === "ArrowRight") follow(gallery, rtl ? "prev" : "next");
    });

    const figure = gallery.querySelector(".gallery__current");
    if (!figure) return;
    // The whole figure, caption included, takes horizontal swipes; without
    // this only the photo does and a swipe on the caption is a cancelled pan.
    figure.style.touchAction = "pan-y pinch-zoom";
    let start = null;
    figure.addEventListener("pointerdown", (event) => {
      start = event.isPrimary ? { x: event.clientX, y: event.clientY } : null;
    });
    figure.addEventListener("pointercancel", () => {
      start = null;
    });
    figure.addEventListener("pointerup", (event) => {
      if (!start) return;
      const dx = event.clientX - start.x;
      const dy = event.clientY - start.y;
      start = null;
      if (Math.abs(dx) < 50 || Math.abs(dx) < Math.abs(dy) * 1.5) return;
      // A swipe toward the start edge shows the next photo (mirrored in RTL).
      const rtl = getComputedStyle(gallery).direction === "rtl";
      follow(gallery, (dx < 0) !== rtl ? "next" : "prev");
    });
  }

  function boot() {
    for (const gallery of document.querySelectorAll("[data-gallery]")) initGallery(gallery);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot, { once: true });
  } else {
    boot();
  }
})();

/* ---------------------------------------------------------- discussions */
// A running character count under comment boxes. Without JS the textarea's
// maxlength attribute still stops typing at the limit and the hint names it.
// Counted as the browser counts for maxlength (UTF-16 units), which is never
// below the server's count, so a box the browser accepts is never too long.
(function () {
  "use strict";

  // "{count} of {max} characters": the plural form follows the limit.
  function label(count, max) {
    return window.BS.tn("comment.length", max, { count, max });
  }

  function update(textarea) {
    const output = document.getElementById(textarea.getAttribute("aria-describedby") || "");
    const max = Number(textarea.getAttribute("maxlength"));
    if (!output || !max) return;
    const count = textarea.value.length;
    output.textContent = label(count, max);
    output.classList.toggle("is-near-limit", count > max * 0.9);
  }

  function scan(root) {
    if (!root || !root.querySelectorAll) return;
    for (const textarea of root.querySelectorAll("textarea[data-char-counter]")) update(textarea);
  }

  document.addEventListener("input", (event) => {
    const target = event.target;
    if (target && target.matches && target.matches("textarea[data-char-counter]")) update(target);
  });
  document.addEventListener("htmx:afterSettle", (event) => scan(event.detail.elt));

  // The count at the top of a story says what the heading of its thread says.
  // After a post or a delete the server swaps a new heading in (out of band);
  // the story's header is not in every page that holds a thread, so it is
  // copied here rather than swapped by the server.
  document.addEventListener("htmx:afterSettle", () => {
    for (const title of document.querySelectorAll(".discussion__title[data-discussion-of]")) {
      const link = document.querySelector(`#story-comments-${title.dataset.discussionOf} a`);
      if (link && link.textContent !== title.textContent) link.textContent = title.textContent;
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => scan(document), { once: true });
  } else {
    scan(document);
  }
})();

/* ------------------------------------------------------------- editions */
// The language switch is plain links. A click on one remembers the edition
// in this browser (localStorage, never a cookie: pages stay the same for
// every reader and cacheable). On a later visit to the default front page
// the server-rendered, hidden offer of that edition is shown; nothing is
// redirected. "No, thanks" remembers the edition the reader is reading.
(function () {
  "use strict";

  const KEY = "broadsheet.edition";

  function remember(language) {
    try {
      window.localStorage.setItem(KEY, language);
    } catch (error) {
      // Storage refused (private mode, quota): the switch still works.
    }
  }

  function chosen() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null;
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("[data-edition-switch]");
    if (link) remember(link.dataset.editionSwitch);
    const dismiss = event.target.closest && event.target.closest("[data-edition-offer-dismiss]");
    if (dismiss) {
      dismiss.closest("[data-edition-offer]").hidden = true;
      remember(document.documentElement.lang);
    }
  });

  function boot() {
    const language = chosen();
    if (!language) return;
    for (const offer of document.querySelectorAll("[data-edition-offer]")) {
      if (offer.dataset.editionOffer === language) offer.hidden = false;
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot);
  } else {
    boot();
  }
})();
