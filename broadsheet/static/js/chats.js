/* Chats: live messages in a room (and in the read-only box beside a live
   story), sending without a reload, the reader's own buttons on messages
   that arrive live. Everything here also works as plain forms and links
   without JavaScript; realtime.js delivers the events ("broadsheet:live",
   "broadsheet:live-reload") and this file only listens to them. */
(function () {
  "use strict";

  function logFor(stream) {
    return document.querySelectorAll('ol.chat-log[data-live-stream="' + stream + '"]');
  }

  function roomOf(log) {
    return log.closest("[data-chat-room]");
  }

  function atBottom(log) {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  function scrollDown(log) {
    log.scrollTop = log.scrollHeight;
  }

  function fromHtml(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  // This reader's buttons (the room page carries them as <template>s with
  // message id 0): Reply, Delete on their own messages, moderators' tools.
  function addActions(room, item) {
    if (!room || item.querySelector(".chat-msg__actions")) return;
    var own = item.dataset.author && item.dataset.author === room.dataset.readerId;
    var template = room.querySelector('template[data-chat-actions="' + (own ? "own" : "other") + '"]');
    if (!template) return;
    var actions = template.content.firstElementChild.cloneNode(true);
    var id = item.dataset.messageId;
    actions.querySelectorAll("form[action]").forEach(function (form) {
      form.setAttribute("action", form.getAttribute("action").replace("/message/0/", "/message/" + id + "/"));
    });
    actions.querySelectorAll("[data-chat-reply]").forEach(function (link) {
      link.dataset.chatReply = id;
      link.setAttribute("href", "?reply=" + id + "#chat-form");
    });
    item.appendChild(actions);
  }

  function insert(log, html) {
    var item = fromHtml(html);
    if (!item || !item.id) return null;
    if (document.getElementById(item.id)) return null; // idempotent by message id
    var follow = atBottom(log);
    addActions(roomOf(log), item);
    log.appendChild(item);
    var empty = roomOf(log) && roomOf(log).querySelector("[data-chat-empty]");
    if (empty) empty.hidden = true;
    if (log.classList.contains("chat-log--box")) {
      while (log.children.length > 20) log.removeChild(log.firstElementChild);
    }
    if (follow) scrollDown(log);
    return item;
  }

  function remove(id) {
    var item = document.getElementById("chat-msg-" + id);
    if (item) item.remove();
  }

  function roomUpdated(room, data) {
    if (!room) return;
    room.dataset.chatStatus = data.status;
    var closed = room.querySelector("[data-chat-closed]");
    var form = room.querySelector("[data-chat-form]");
    if (closed) closed.hidden = data.status === "open";
    if (form) form.hidden = data.status !== "open";
    var slow = room.querySelector("[data-chat-slow]");
    if (slow) {
      slow.hidden = !data.slow_mode_seconds;
      slow.querySelector("[data-chat-slow-seconds]").textContent = String(data.slow_mode_seconds || 0);
    }
  }

  document.addEventListener("broadsheet:live", function (event) {
    var detail = event.detail || {};
    if (!/^chat-\d+$/.test(detail.stream || "")) return;
    var data = detail.data || {};
    logFor(detail.stream).forEach(function (log) {
      if (detail.kind === "message.posted" && typeof data.html === "string") insert(log, data.html);
      else if (detail.kind === "room.updated") roomUpdated(roomOf(log), data);
    });
    if (detail.kind === "message.deleted") remove(data.id);
  });

  // A story's chat box fills after the page (htmx, when revealed): show its
  // newest messages, at the bottom as in the room.
  document.addEventListener("htmx:afterSwap", function (event) {
    var log = event.target;
    if (log && log.matches && log.matches("[data-chat-box] ol.chat-log")) scrollDown(log);
  });

  // Too far behind: fetch the latest messages again instead of a flood.
  document.addEventListener("broadsheet:live-reload", function (event) {
    var stream = (event.detail || {}).stream || "";
    logFor(stream).forEach(function (log) {
      var room = roomOf(log);
      var url = room ? room.dataset.chatFragment : log.getAttribute("hx-get");
      if (!url) return;
      fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-cache" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          log.innerHTML = html;
          if (window.htmx) window.htmx.process(log);
          scrollDown(log);
        })
        .catch(function () {});
    });
  });

  function showError(room, message) {
    var box = room.querySelector("[data-chat-error]");
    if (!box) return;
    box.textContent = "";
    if (message) {
      var p = document.createElement("p");
      p.textContent = message;
      box.appendChild(p);
    }
    box.hidden = !message;
  }

  function post(form, room) {
    return fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      // A refusal is JSON with the reader's sentence; anything else (a 403
      // page, a proxy's error) is reported by its status.
      return response.json().catch(function () { return {}; }).then(function (body) {
        if (!response.ok) throw new Error(body.error || window.BS.t("chat.failed", { status: response.status }));
        showError(room, "");
        return body;
      });
    });
  }

  function replyTo(room, id) {
    var box = room.querySelector("[data-chat-reply-box]");
    if (!box) return false;
    var input = box.querySelector("[data-chat-reply-input]");
    var quote = box.querySelector("[data-chat-reply-quote]");
    if (!id) {
      input.value = "";
      box.hidden = true;
      return true;
    }
    var item = document.getElementById("chat-msg-" + id);
    if (!item) return false;
    var author = item.querySelector(".chat-msg__author");
    var text = (item.querySelector(".chat-msg__text") || {}).textContent || "";
    text = text.trim();
    quote.textContent = (author ? author.textContent + ": " : "") + (text.length > 120 ? text.slice(0, 119) + "…" : text);
    input.value = id;
    box.hidden = false;
    var textarea = room.querySelector("[data-chat-form] textarea");
    if (textarea) textarea.focus();
    return true;
  }

  function setUp(room) {
    var log = room.querySelector("ol.chat-log");
    room.querySelectorAll(".chat-msg").forEach(function (item) { addActions(room, item); });
    if (log) scrollDown(log);
    var form = room.querySelector("[data-chat-form]");
    if (form) {
      var textarea = form.querySelector("textarea");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var button = form.querySelector("button[type=submit]");
        button.disabled = true;
        post(form, room)
          .then(function (body) {
            textarea.value = "";
            replyTo(room, null);
            var item = insert(log, body.html);
            if (item || document.getElementById("chat-msg-" + body.id)) scrollDown(log);
          })
          .catch(function (error) { showError(room, error.message); })
          .finally(function () { button.disabled = false; });
      });
      // Enter sends, Shift+Enter makes a new line, as in every chat.
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    }
    room.addEventListener("click", function (event) {
      var reply = event.target.closest("[data-chat-reply]");
      if (reply && replyTo(room, reply.dataset.chatReply)) {
        event.preventDefault();
        return;
      }
      if (event.target.closest("[data-chat-reply-cancel]")) {
        event.preventDefault();
        replyTo(room, null);
      }
    });
    // The buttons on messages (delete, approve, reject, mute) without leaving the page.
    room.addEventListener("submit", function (event) {
      var form = event.target.closest("form[data-chat-action]");
      if (!form) return;
      event.preventDefault();
      post(form, room)
        .then(function (body) {
          var item = document.getElementById("chat-msg-" + body.id);
          if (!item) return;
          if (body.status === "deleted") item.remove();
          else if (body.status === "visible") {
            item.classList.remove("chat-msg--held");
            var held = item.querySelector(".chat-msg__held");
            if (held) held.remove();
            var details = form.closest("details");
            if (details) details.open = false;
          }
        })
        .catch(function (error) { showError(room, error.message); });
    });
  }

  function start() {
    document.querySelectorAll("[data-chat-room]").forEach(setUp);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
