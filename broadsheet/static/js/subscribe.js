/* Subscribe dialog: links marked `data-subscribe-open` (the masthead's
 * "Subscribe", the box at the end of stories) open a native <dialog> holding
 * the form fragment (`data-subscribe-fragment`), which is posted with fetch;
 * the server's answer (errors in place, "Check your inbox", a signed-in
 * reader's lists) replaces the dialog's content. Without this file, or if a
 * request fails, the links go to the subscribe page itself.
 *
 * The story pages stay the same for every reader: the fragment, not the page,
 * carries the CSRF token and whatever concerns the reader.
 */
(() => {
  "use strict";

  let dialog = null;
  let body = null;
  let opener = null;
  let pageUrl = null;

  const build = () => {
    dialog = document.createElement("dialog");
    dialog.className = "subscribe-dialog";
    dialog.setAttribute("aria-labelledby", "subscribe-title");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "subscribe-dialog__close";
    close.setAttribute("aria-label", window.BS.t("subscribe.close"));
    close.textContent = "×";
    close.addEventListener("click", () => dialog.close());
    body = document.createElement("div");
    body.className = "subscribe-dialog__content";
    dialog.append(close, body);
    // A click on the backdrop (outside the box) closes, like Esc.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    dialog.addEventListener("close", () => {
      if (opener && document.contains(opener)) opener.focus();
    });
    dialog.addEventListener("submit", onSubmit);
    document.body.append(dialog);
  };

  const show = (html) => {
    // Our own server's fragment (same origin, escaped by Django's templates).
    body.innerHTML = html;
    // Focus goes to the first field in error, else to the address field of a
    // fresh form, else to the heading (a result, or an error about the whole form).
    const invalid = body.querySelector("[aria-invalid='true']");
    const alert = body.querySelector(".account-alert");
    const email = body.querySelector("input[type='email']");
    const title = body.querySelector("#subscribe-title");
    const target = invalid || (!alert && email) || title;
    if (target) target.focus();
  };

  const fail = () => {
    body.textContent = window.BS.t("subscribe.failed");
    window.location.assign(pageUrl);
  };

  const open = async (link) => {
    opener = link;
    pageUrl = link.href;
    if (!dialog) build();
    body.setAttribute("aria-busy", "true");
    body.textContent = window.BS.t("subscribe.loading");
    if (!dialog.open) dialog.showModal();
    try {
      const response = await fetch(link.dataset.subscribeFragment, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (!response.ok) throw new Error(String(response.status));
      show(await response.text());
    } catch (error) {
      fail();
    } finally {
      body.removeAttribute("aria-busy");
    }
  };

  async function onSubmit(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post") return;
    event.preventDefault();
    const button = event.submitter;
    if (button) button.disabled = true;
    body.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      // 400 (errors), 413 (too large) and 429 (too many attempts) carry the form.
      if (!response.ok && ![400, 413, 429].includes(response.status)) throw new Error(String(response.status));
      show(await response.text());
    } catch (error) {
      fail();
    } finally {
      body.removeAttribute("aria-busy");
      if (button && document.contains(button)) button.disabled = false;
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-subscribe-open]");
    if (!link || !link.dataset.subscribeFragment || typeof HTMLDialogElement !== "function") return;
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    // On the subscribe page itself the form is already there.
    if (document.querySelector("[data-subscribe-page]")) return;
    event.preventDefault();
    open(link);
  });
})();
