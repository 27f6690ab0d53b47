/* Live newsfeed: every newsfeed on the page (the box beside stories and on the
 * front page, the /newsfeed/ list) learns of new stories while it is open.
 *
 * realtime.js holds the one connection and dispatches "broadsheet:live" DOM
 * events; this file only listens. A story published above the newest one shown
 * counts, and a bar ("1 new story") floats over the top of the feed: nothing
 * under the reader's eyes moves until they click it. The click fetches just
 * the new items (NewsfeedView, ?newer_than=<cursor of the newest shown>) and
 * inserts them at the top. A withdrawn story disappears from every feed at
 * once. Events may arrive twice (replays after a reconnect): counting is by
 * story id, so that changes nothing. Without JavaScript there is no bar and
 * the page is as served.
 */
(() => {
  "use strict";

  // Each newsfeed includes this script; the page needs it once.
  if (window.broadsheetNewsfeedLive) return;
  window.broadsheetNewsfeedLive = true;

  const STREAM = "newsfeed";
  const states = new WeakMap();

  function feedState(feed) {
    let state = states.get(feed);
    if (state !== undefined) return state;
    const list = feed.querySelector("[data-live-list]");
    const button = feed.querySelector("[data-live-button]");
    state = null;
    if (list && button) {
      state = {
        feed,
        list,
        button,
        compact: feed.dataset.liveFeed === "box",
        size: list.querySelectorAll("[data-story-id]").length || 10,
        pending: new Set(),
        removed: new Set(),
        reload: false,
        busy: false,
      };
      button.addEventListener("click", () => apply(state));
    }
    states.set(feed, state);
    return state;
  }

  function allStates() {
    return [...document.querySelectorAll("[data-live-feed]")].map(feedState).filter(Boolean);
  }

  function itemsOf(state, id) {
    return state.list.querySelectorAll(`[data-story-id="${id}"]`);
  }

  function label(state) {
    if (state.reload) return window.BS.t("feed.refresh");
    const count = state.pending.size;
    return window.BS.tn("feed.new", count, { count });
  }

  function render(state) {
    const show = state.reload || state.pending.size > 0;
    state.button.textContent = show ? label(state) : "";
    state.button.hidden = !show;
  }

  // A story counts for this feed if it is of its section, not shown yet, and
  // newer than the newest story shown: the new items go at the top, and a
  // story back-dated below it is not news to this reader.
  function countsFor(state, data) {
    const section = state.feed.dataset.liveSection;
    if (section && data.section !== section) return false;
    const edition = state.feed.dataset.liveEdition;
    if (edition && data.edition && data.edition !== edition) return false;
    if (itemsOf(state, data.id).length) return false;
    const top = state.list.querySelector("[data-story-id] time[datetime]");
    const topTime = top ? Date.parse(top.getAttribute("datetime")) : NaN;
    const time = Date.parse(data.published_at);
    return Number.isNaN(topTime) || Number.isNaN(time) || time >= topTime;
  }

  // Day headings left with no story under them go too.
  function tidyHeadings(list) {
    for (const heading of list.querySelectorAll(".feed-day")) {
      const next = heading.nextElementSibling;
      if (!next || !next.matches("[data-story-id]")) heading.remove();
    }
  }

  function storyPublished(data) {
    for (const state of allStates()) {
      state.removed.delete(data.id);
      if (countsFor(state, data)) {
        state.pending.add(data.id);
        render(state);
      }
    }
  }

  function storyWithdrawn(data) {
    for (const state of allStates()) {
      state.removed.add(data.id);
      state.pending.delete(data.id);
      const items = itemsOf(state, data.id);
      for (const item of items) item.remove();
      if (items.length) tidyHeadings(state.list);
      render(state);
    }
  }

  document.addEventListener("broadsheet:live", (event) => {
    const detail = event.detail || {};
    if (detail.stream !== STREAM || !detail.data) return;
    const id = Number(detail.data.id);
    if (!Number.isInteger(id) || id <= 0) return;
    const data = { ...detail.data, id };
    if (detail.kind === "story.published") storyPublished(data);
    else if (detail.kind === "story.unpublished") storyWithdrawn(data);
  });

  // The connection was too far behind to replay what it missed: offer to
  // reload the list rather than count what may be incomplete.
  document.addEventListener("broadsheet:live-reload", (event) => {
    if (!event.detail || event.detail.stream !== STREAM) return;
    for (const state of allStates()) {
      state.reload = true;
      render(state);
    }
  });

  function freshUrl(state) {
    const params = new URLSearchParams();
    if (state.feed.dataset.liveSection) params.set("section", state.feed.dataset.liveSection);
    const top = state.reload ? null : state.list.querySelector("[data-story-id][data-cursor]");
    params.set("newer_than", top ? top.dataset.cursor : "0.0");
    if (state.compact) {
      params.set("compact", "1");
      params.set("limit", String(Math.min(state.size, 20)));
    }
    // The newest story this reader was told of: a shared cache never answers
    // with a copy made before that story was public.
    if (state.pending.size) params.set("seen", String(Math.max(...state.pending)));
    return `${state.feed.dataset.liveUrl}?${params}`;
  }

  async function apply(state) {
    if (state.busy) return;
    if (state.reload && !state.compact) {
      window.location.reload();
      return;
    }
    state.busy = true;
    let nodes;
    try {
      const response = await fetch(freshUrl(state), { credentials: "same-origin", cache: "no-cache" });
      if (!response.ok) throw new Error(`newsfeed ${response.status}`);
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      nodes = [...template.content.children].filter((node) => node.matches("li"));
    } catch {
      state.button.textContent = window.BS.t("feed.failed");
      state.busy = false;
      return;
    }
    const gap = nodes.find((node) => node.matches("[data-feed-gap]"));
    if (gap && !state.compact) {
      // More new stories than one fetch brings: the newest page, in full.
      window.location.assign(gap.querySelector("a").href);
      return;
    }
    insert(state, nodes, { replace: state.reload || Boolean(gap) });
    state.pending.clear();
    state.reload = false;
    state.busy = false;
    render(state);
  }

  function insert(state, nodes, { replace }) {
    const { list } = state;
    const hadFocus = state.button === document.activeElement;
    const fresh = nodes.filter((node) => {
      if (node.matches("[data-feed-gap]")) return false;
      const id = Number(node.dataset.storyId);
      if (!node.dataset.storyId) return true; // a day heading
      return !state.removed.has(id) && (replace || !itemsOf(state, id).length);
    });
    if (replace) {
      for (const node of [...list.children]) if (!node.matches(".feed-more")) node.remove();
    }
    const oldTop = list.firstElementChild;
    for (const node of fresh) list.insertBefore(node, oldTop);
    // The page heads each day once: a heading for the day already at the top
    // is dropped from above the old first story.
    if (oldTop && oldTop.matches(".feed-day")) {
      const headings = fresh.filter((node) => node.matches(".feed-day"));
      const last = headings[headings.length - 1];
      if (last && last.dataset.day === oldTop.dataset.day) oldTop.remove();
    }
    tidyHeadings(list);
    if (fresh.length) {
      for (const empty of document.querySelectorAll("[data-live-empty]")) empty.remove();
    }
    if (state.compact) {
      // The box keeps its length: what comes in at the top leaves at the bottom.
      const items = list.querySelectorAll("[data-story-id]");
      for (let i = state.size; i < items.length; i += 1) items[i].remove();
    }
    const first = fresh.find((node) => node.matches("[data-story-id]"));
    if (first && list.getBoundingClientRect().top < 0) {
      state.feed.scrollIntoView({ block: "start" });
    }
    if (first && hadFocus) {
      const link = first.querySelector("a[href]");
      if (link) link.focus();
    }
  }
})();
