/* Broadsheet realtime: one Server-Sent Events connection per page for every
 * element marked data-live-stream="<stream>" (newsfeed, live-<id>, chat-<id>).
 *
 * Each event is re-dispatched on `document` as
 *   "broadsheet:live"         detail {stream, kind, id, data}
 *   "broadsheet:live-reload"  detail {stream}  (too far behind: reload the list)
 * Feature scripts only listen to these. Events may repeat (after a reconnect);
 * listeners ignore ids they already show.
 *
 * The first connection asks for events since the page was rendered
 * (data-live-since, unix ms: cached HTML catches up); later ones resume after
 * the last event received. Reconnects back off with jitter: a server restart
 * does not bring every reader back in the same second.
 * Elements added later (htmx swaps) are picked up by a MutationObserver;
 * window.BroadsheetLive.refresh() does the same at once.
 */
(() => {
  "use strict";

  const ENDPOINT = "/realtime/events";
  const MAX_STREAMS = 8; // the server refuses more
  const MAX_DELAY = 30000;

  let source = null;
  let streamsKey = "";
  let lastId = null;
  let attempt = 0;
  let retryTimer = null;
  let refreshTimer = null;

  const currentStreams = () => {
    const names = new Set();
    let since = null;
    document.querySelectorAll("[data-live-stream]").forEach((element) => {
      const name = element.dataset.liveStream;
      if (!/^[a-z]+(-[0-9]+)?$/.test(name || "")) return;
      names.add(name);
      const rendered = Number.parseInt(element.dataset.liveSince || "", 10);
      if (Number.isFinite(rendered) && (since === null || rendered < since)) since = rendered;
    });
    return { names: [...names].sort().slice(0, MAX_STREAMS), since };
  };

  const emit = (type, detail) => {
    document.dispatchEvent(new CustomEvent(type, { detail }));
  };

  const close = () => {
    if (source) source.close();
    source = null;
    clearTimeout(retryTimer);
    retryTimer = null;
  };

  const open = () => {
    close();
    const { names, since } = currentStreams();
    streamsKey = names.join(" ");
    if (!names.length) return;
    const query = new URLSearchParams();
    names.forEach((name) => query.append("stream", name));
    if (lastId !== null) query.set("last", lastId);
    else if (since !== null) query.set("since", String(since));
    const es = new EventSource(`${ENDPOINT}?${query}`);
    source = es;
    es.addEventListener("open", () => {
      attempt = 0;
    });
    es.addEventListener("message", (message) => {
      let event;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (message.lastEventId) lastId = message.lastEventId;
      emit("broadsheet:live", {
        stream: event.stream,
        kind: event.kind,
        id: event.id,
        data: event.data,
      });
    });
    es.addEventListener("reload", (message) => {
      if (message.lastEventId) lastId = message.lastEventId;
      emit("broadsheet:live-reload", { stream: message.data });
    });
    es.addEventListener("error", () => {
      // Our own reconnect (the browser's has no backoff and would resend an
      // old `since`): close, wait, reopen after the last id received.
      if (source !== es) return;
      es.close();
      source = null;
      const delay = Math.min(MAX_DELAY, 1000 * 2 ** attempt) * (0.5 + Math.random());
      attempt = Math.min(attempt + 1, 10);
      retryTimer = setTimeout(open, delay);
    });
  };

  const refresh = () => {
    const { names } = currentStreams();
    const key = names.join(" ");
    if (key === streamsKey && (source || retryTimer)) return;
    open();
  };

  const start = () => {
    if (!("EventSource" in window)) return;
    refresh();
    new MutationObserver(() => {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(refresh, 100);
    }).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ["data-live-stream"],
    });
    // The browser knows before TCP does: a dropped network can leave the
    // stream silently dead for minutes. Close when it goes offline; when it
    // is back, reconnect at once after the last id (missed events replay).
    window.addEventListener("offline", close);
    window.addEventListener("online", () => {
      attempt = 0;
      open();
    });
  };

  window.BroadsheetLive = { refresh };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
