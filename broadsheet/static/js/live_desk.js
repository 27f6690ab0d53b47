/* The live desk in the admin: Ctrl+Enter posts, the draft survives a reload,
 * and the stream follows what colleagues post.
 *
 * The draft of the form's text fields is kept in localStorage under the story's
 * id, saved as the editor types, and dropped once the server has taken the
 * post (it redirects with ?posted=1). The stream is fetched again when the
 * realtime layer announces a change on the story (realtime.js, if the admin
 * loads it) and every POLL_MS anyway, since drafts are not announced.
 */
(() => {
  "use strict";

  const POLL_MS = 8000;
  const FIELDS = ["title", "body", "quote", "quote_attribution", "embed_url"];

  function initDraft(desk, form) {
    const key = `broadsheet:live-desk:${desk.dataset.liveDesk}`;
    const url = new URL(window.location.href);
    let store = null;
    try {
      store = window.localStorage;
    } catch {
      store = null;
    }
    if (url.searchParams.has("posted")) {
      if (store) store.removeItem(key);
      url.searchParams.delete("posted");
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    } else if (store && !form.querySelector(".error-message, .w-field--error")) {
      let saved = null;
      try {
        saved = JSON.parse(store.getItem(key) || "null");
      } catch {
        saved = null;
      }
      if (saved) {
        for (const name of FIELDS) {
          const field = form.elements.namedItem(name);
          if (field && !field.value && typeof saved[name] === "string") field.value = saved[name];
        }
      }
    }
    form.addEventListener("input", () => {
      if (!store) return;
      const draft = {};
      let any = false;
      for (const name of FIELDS) {
        const field = form.elements.namedItem(name);
        if (field && field.value) {
          draft[name] = field.value;
          any = true;
        }
      }
      if (any) store.setItem(key, JSON.stringify(draft));
      else store.removeItem(key);
    });
    form.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        const submit = form.querySelector("[data-live-desk-submit]");
        if (submit) form.requestSubmit(submit);
      }
    });
  }

  function initStream(section) {
    const url = section.dataset.liveDeskStream;
    let busy = false;

    async function refresh() {
      // Never replace buttons under the editor's pointer or focus.
      if (busy || section.contains(document.activeElement) || section.matches(":hover")) return;
      busy = true;
      try {
        const response = await fetch(url, { credentials: "same-origin", cache: "no-cache" });
        if (response.ok) {
          const html = await response.text();
          if (html !== section.dataset.lastHtml) {
            section.innerHTML = html;
            section.dataset.lastHtml = html;
          }
        }
      } catch {
        // Offline for a moment: the next tick tries again.
      } finally {
        busy = false;
      }
    }

    window.setInterval(refresh, POLL_MS);
    document.addEventListener("broadsheet:live", (event) => {
      if (event.detail && event.detail.stream === section.dataset.liveStream) refresh();
    });
  }

  // data-live-desk-confirm names the question (its words: core/js_strings.py).
  const QUESTIONS = { post: "live_desk.delete_post", draft: "live_desk.delete_draft" };

  document.addEventListener("click", (event) => {
    const button = event.target.closest && event.target.closest("[data-live-desk-confirm]");
    if (!button) return;
    const question = QUESTIONS[button.dataset.liveDeskConfirm] || QUESTIONS.post;
    if (!window.confirm(window.BS.t(question))) event.preventDefault();
  });

  function boot() {
    for (const desk of document.querySelectorAll("[data-live-desk]")) {
      const form = desk.querySelector("[data-live-desk-form]");
      if (form) initDraft(desk, form);
      const stream = desk.querySelector("[data-live-desk-stream]");
      if (stream) initStream(stream);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", boot, { once: true });
  } else {
    boot();
  }
})();
