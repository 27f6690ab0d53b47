/* "Get breaking news alerts" (templates/alerts/includes/push_button.html).
 *
 * The box stays hidden until this script has looked at the browser: without
 * the Push API it explains that alerts cannot work here; with notifications
 * blocked it says where to allow them. Permission is asked only when the
 * reader clicks. Subscribing registers /sw.js (scope "/": every language
 * prefix), subscribes with the site's VAPID public key and POSTs the
 * subscription to the site; "Stop alerts" does the reverse. Every box on the
 * page (footer, subscribe page) shows the same state.
 */
(() => {
  "use strict";

  const RESYNC_KEY = "broadsheet:push-synced";
  const RESYNC_MS = 24 * 60 * 60 * 1000;

  const boxes = () => [...document.querySelectorAll("[data-push-alerts]")];
  const supported = () =>
    "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

  const keyBytes = (text) => {
    const padded = text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  };

  // The status line's words (core/js_strings.py), by what happened.
  const MESSAGES = {
    working: "push.working",
    subscribed: "push.subscribed",
    unsubscribed: "push.unsubscribed",
    dismissed: "push.dismissed",
    unsupported: "push.unsupported",
    denied: "push.denied",
    error: "push.error",
  };

  // state: "unsupported" | "denied" | "off" | "on"; message: a MESSAGES name or null
  const render = (state, message, busy = false) => {
    boxes().forEach((box) => {
      const button = box.querySelector("[data-push-button]");
      const status = box.querySelector("[data-push-status]");
      box.hidden = false;
      box.dataset.pushState = state;
      button.hidden = state === "unsupported" || state === "denied";
      button.textContent = window.BS.t(state === "on" ? "push.off" : "push.on");
      button.setAttribute("aria-pressed", state === "on" ? "true" : "false");
      button.disabled = busy;
      let key = message;
      if (state === "unsupported" || state === "denied") key = state;
      status.textContent = key ? window.BS.t(MESSAGES[key]) : "";
    });
  };

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
  };

  const registration = async () => {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    return navigator.serviceWorker.ready;
  };

  const existing = async () => {
    const reg = await navigator.serviceWorker.getRegistration("/");
    return reg ? reg.pushManager.getSubscription() : null;
  };

  const remember = () => {
    try {
      window.localStorage.setItem(RESYNC_KEY, String(Date.now()));
    } catch {
      // storage blocked: the site is simply told again next time
    }
  };

  const send = (box, subscription) =>
    post(box.dataset.pushSubscribe, {
      ...subscription.toJSON(),
      language: document.documentElement.lang || "",
    }).then(remember);

  const subscribe = async (box) => {
    show("off", "working", true);
    const permission = await Notification.requestPermission();
    if (permission === "denied") return show("denied", null);
    if (permission !== "granted") return show("off", "dismissed");
    const reg = await registration();
    const options = { userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.pushKey) };
    let subscription;
    try {
      subscription = await reg.pushManager.subscribe(options);
    } catch (error) {
      // Subscribed before with another key (the site's keys changed): start over.
      const old = await reg.pushManager.getSubscription();
      if (!old) throw error;
      await old.unsubscribe();
      subscription = await reg.pushManager.subscribe(options);
    }
    try {
      await send(box, subscription);
    } catch (error) {
      await subscription.unsubscribe();
      throw error;
    }
    show("on", "subscribed");
  };

  const unsubscribe = async (box) => {
    show("on", "working", true);
    const subscription = await existing();
    if (subscription) {
      await post(box.dataset.pushUnsubscribe, { endpoint: subscription.endpoint });
      await subscription.unsubscribe();
    }
    show("off", "unsubscribed");
  };

  let state = null; // what every box shows, once known

  const show = (next, message, busy = false) => {
    state = next;
    render(next, message, busy);
  };

  const onClick = (event) => {
    const button = event.target.closest("[data-push-button]");
    const box = button && button.closest("[data-push-alerts]");
    if (!box) return;
    const action = box.dataset.pushState === "on" ? unsubscribe : subscribe;
    action(box).catch(() => show(box.dataset.pushState === "on" ? "on" : "off", "error"));
  };

  const resync = (box, subscription) => {
    // Once a day, tell the site again: it forgets subscriptions a push
    // service has refused, and this browser may still want alerts.
    let last = 0;
    try {
      last = Number(window.localStorage.getItem(RESYNC_KEY) || 0);
    } catch {
      last = Date.now();
    }
    if (Date.now() - last > RESYNC_MS) send(box, subscription).catch(() => {});
  };

  const start = async () => {
    document.addEventListener("click", onClick);
    // Boxes that arrive later (the subscribe dialog loaded by htmx) get the
    // state the page already knows.
    new MutationObserver(() => {
      if (state && boxes().some((box) => !box.dataset.pushState)) render(state, null);
    }).observe(document.body, { childList: true, subtree: true });
    if (!supported()) return show("unsupported", null);
    if (Notification.permission === "denied") return show("denied", null);
    const subscription = await existing().catch(() => null);
    show(subscription && Notification.permission === "granted" ? "on" : "off", null);
    const found = boxes();
    if (subscription && found.length) resync(found[0], subscription);
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
