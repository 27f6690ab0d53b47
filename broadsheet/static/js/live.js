/* Live coverage: posts arrive on an open story page without a reload.
 *
 * realtime.js (loaded on every page) holds the one connection and dispatches
 * "broadsheet:live" for each event of the streams named by data-live-stream,
 * and "broadsheet:live-reload" when this page is too far behind to catch up.
 * Everything here is idempotent by post id: an event for a post already shown
 * replaces it, a deletion of a post not shown does nothing.
 *
 * Nothing jumps under the reader: a new post goes in at the top only while the
 * top of the stream is in view; otherwise a "3 new updates" button collects
 * them until the reader asks.
 */
(() => {
  "use strict";

  const NEAR_TOP = 300; // px of the stream scrolled past that still count as "at the top"

  function parse(html) {
    const template = document.createElement("template");
    template.innerHTML = (html || "").trim();
    return template.content.firstElementChild;
  }

  function newer(a, b) {
    // Order of the stream: newest first, ties by id.
    const ta = Number(a.dataset.postTime || 0);
    const tb = Number(b.dataset.postTime || 0);
    return ta !== tb ? ta > tb : Number(a.dataset.postId) > Number(b.dataset.postId);
  }

  function initStream(section) {
    const stream = section.dataset.liveStream;
    const pinnedBox = section.querySelector("[data-live-pinned]");
    const postsBox = section.querySelector("[data-live-posts]");
    const newBar = section.querySelector("[data-live-new]");
    const newButton = section.querySelector("[data-live-new-button]");
    const reloadBar = section.querySelector("[data-live-reload]");
    const reloadButton = section.querySelector("[data-live-reload-button]");
    // Only the newest page takes new posts in place; a permalink or an older
    // page offers them as a link to the latest updates.
    const isFirst = section.dataset.liveFirst === "1";
    const waiting = new Map();

    const find = (id) => section.querySelector(`[data-post-id="${Number(id)}"]`);
    const nearTop = () => section.getBoundingClientRect().top > -NEAR_TOP;

    function place(post) {
      const box = post.classList.contains("live-post--pinned") ? pinnedBox : postsBox;
      const empty = section.querySelector("[data-live-empty]");
      if (empty) empty.remove();
      let before = null;
      for (const other of box.querySelectorAll(":scope > .live-post, :scope > [data-live-older] > .live-post")) {
        if (newer(post, other)) {
          before = other;
          break;
        }
      }
      if (before) {
        before.before(post);
      } else if (box === postsBox) {
        const more = box.querySelector(":scope > .live-more");
        if (more) more.before(post);
        else box.append(post);
      } else {
        box.append(post);
      }
      post.dispatchEvent(new CustomEvent("broadsheet:inserted", { bubbles: true }));
    }

    function updateBar() {
      const count = waiting.size;
      newBar.hidden = count === 0;
      if (count) {
        newButton.textContent = window.BS.tn("live.new", count, { count });
      }
    }

    function showWaiting() {
      if (!isFirst) {
        window.location.assign(section.dataset.liveUrl);
        return;
      }
      const posts = [...waiting.values()];
      waiting.clear();
      for (const post of posts) place(post);
      updateBar();
      section.scrollIntoView({ block: "start", behavior: "smooth" });
    }

    function onEvent(detail) {
      const id = detail.data && detail.data.id;
      if (!id) return;
      if (detail.kind === "post.deleted") {
        const shown = find(id);
        if (shown) shown.remove();
        waiting.delete(id);
        updateBar();
        return;
      }
      const post = parse(detail.data.html);
      if (!post) return;
      const shown = find(id);
      if (waiting.has(id)) {
        waiting.set(id, post);
      } else if (shown) {
        const moves = shown.classList.contains("live-post--pinned") !== post.classList.contains("live-post--pinned");
        if (moves) {
          shown.remove();
          place(post);
        } else {
          shown.replaceWith(post);
          post.dispatchEvent(new CustomEvent("broadsheet:inserted", { bubbles: true }));
        }
      } else if (detail.kind === "post.published") {
        if (isFirst && nearTop()) place(post);
        else waiting.set(id, post);
        updateBar();
      } else if (isFirst && post.classList.contains("live-post--pinned")) {
        place(post); // pinned: an older post not loaded here now heads the stream
      }
    }

    async function reload() {
      reloadBar.hidden = true;
      // Pages may be kept by the browser for half a minute (edge/policy.py):
      // "no-cache" asks the site again, answered with a 304 when unchanged.
      try {
        const response = await fetch(section.dataset.liveUrl, { credentials: "same-origin", cache: "no-cache" });
        if (!response.ok) throw new Error(String(response.status));
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const fresh = doc.querySelector(`[data-live-stream="${stream}"]`);
        if (!fresh) throw new Error("no stream");
        pinnedBox.innerHTML = fresh.querySelector("[data-live-pinned]").innerHTML;
        postsBox.innerHTML = fresh.querySelector("[data-live-posts]").innerHTML;
        waiting.clear();
        updateBar();
        if (window.htmx) window.htmx.process(postsBox);
        section.dispatchEvent(new CustomEvent("broadsheet:inserted", { bubbles: true }));
      } catch {
        reloadBar.hidden = false;
      }
    }

    newButton.addEventListener("click", showWaiting);
    reloadButton.addEventListener("click", () => {
      if (isFirst) reload();
      else window.location.assign(section.dataset.liveUrl);
    });
    document.addEventListener("broadsheet:live", (event) => {
      if (event.detail && event.detail.stream === stream) onEvent(event.detail);
    });
    document.addEventListener("broadsheet:live-reload", (event) => {
      if (!event.detail || event.detail.stream !== stream) return;
      // Too far behind to replay: fetch the newest page, or offer to when
      // the reader is reading further down.
      if (isFirst && nearTop()) reload();
      else reloadBar.hidden = false;
    });
  }

  function boot() {
    for (const section of document.querySelectorAll("section[data-live-stream][data-live-posts-stream]")) {
      initStream(section);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot, { once: true });
  } else {
    boot();
  }
})();
