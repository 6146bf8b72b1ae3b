/* Sending finished sessions to Tandem, and saying what is waiting.

   - A finished session is PUT whole to the API under its own id (made on this device), so
     sending it twice — a lost answer, two tabs, a retry — stores it once.
   - 200/201: Tandem has it; it is deleted from this device at once.
   - 400/403/409/422: Tandem refused it, with a reason; it stays here, marked, until its
     observer sends it again without its cycle, or discards it.
   - No network, 401, a server error: it stays waiting and is sent when the network is back
     (the browser's "online" event), on the next page load, or within half a minute.
   Only sessions its signed-in observer recorded are sent; anyone else's wait for them.
   It also registers the service worker and tells it when the page goes offline. */
(function () {
  "use strict";
  const configElement = document.getElementById("obs-config");
  if (!configElement) return;
  const config = JSON.parse(configElement.textContent);
  const strings = config.strings;
  const status = document.getElementById("obs-sync-status");
  const statusText = document.getElementById("obs-sync-text");
  const rejectedList = document.getElementById("obs-rejected");
  const listeners = [];
  let sending = null;
  let signedOut = false;

  function say(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_match, name) => String(values[name]));
  }

  function csrfToken() {
    const prefix = config.csrfCookie + "=";
    const found = document.cookie.split("; ").find((part) => part.startsWith(prefix));
    return found ? decodeURIComponent(found.slice(prefix.length)) : "";
  }

  function tellWorker() {
    if (!("serviceWorker" in navigator) || !navigator.serviceWorker.controller) return;
    navigator.serviceWorker.controller.postMessage({ type: "network", online: navigator.onLine });
  }

  function body(session) {
    return JSON.stringify({
      tool: session.tool,
      teacher: session.teacher,
      observer: session.observer,
      engagement: session.engagement || null,
      custom_tool: session.custom_tool || null,
      lesson: session.lesson || "",
      settings: session.settings || {},
      started_at: session.started_at,
      finished_at: session.finished_at,
      client_now: window.TandemClock.iso(window.TandemClock.now()),
      events: session.events,
    });
  }

  async function send(session) {
    let response;
    try {
      response = await fetch(config.api + session.uuid, {
        method: "PUT",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: body(session),
      });
    } catch (error) {
      return "waiting"; // no network after all
    }
    if (response.status === 200 || response.status === 201) {
      const answer = await response.json();
      await window.TandemStore.remove(session.uuid);
      notify({ uuid: session.uuid, state: "synced", url: answer.url });
      return "synced";
    }
    if (response.status === 401) {
      signedOut = true;
      return "waiting";
    }
    if ([400, 403, 409, 422].includes(response.status)) {
      let reason = "";
      try {
        reason = (await response.json()).detail || "";
      } catch (error) {
        reason = String(response.status);
      }
      session.state = "rejected";
      session.error = reason;
      await window.TandemStore.put(session);
      notify({ uuid: session.uuid, state: "rejected", reason });
      return "rejected";
    }
    return "waiting"; // the server failed: try again later
  }

  function notify(change) {
    for (const listener of listeners) listener(change);
  }

  async function mine() {
    const all = await window.TandemStore.all();
    return all.filter((session) => session.observer === config.observer);
  }

  async function syncAll() {
    if (sending) return sending;
    sending = (async () => {
      signedOut = false;
      if (navigator.onLine) {
        const waiting = (await mine()).filter((session) => session.state === "waiting");
        if (waiting.length) show("sending", strings.sending);
        for (const session of waiting) await send(session);
      }
      await render();
    })();
    try {
      await sending;
    } finally {
      sending = null;
    }
  }

  function show(state, text) {
    if (!status) return;
    status.dataset.state = state;
    statusText.textContent = text;
  }

  async function render() {
    const sessions = await mine();
    const waiting = sessions.filter((session) => session.state === "waiting");
    const rejected = sessions.filter((session) => session.state === "rejected");
    if (waiting.length) {
      let text = waiting.length === 1 ? strings.waiting_one : say(strings.waiting_many, { n: waiting.length });
      if (!navigator.onLine) text += " " + strings.offline;
      else if (signedOut) text += " " + strings.sign_in;
      show(navigator.onLine ? "waiting" : "offline", text);
    } else if (rejected.length) {
      show("rejected", say(strings.rejected, { reason: rejected[0].error || "" }));
    } else {
      show("idle", strings.nothing_waiting);
    }
    renderRejected(rejected);
  }

  function renderRejected(rejected) {
    if (!rejectedList) return;
    rejectedList.replaceChildren();
    rejectedList.hidden = rejected.length === 0;
    for (const session of rejected) {
      const item = document.createElement("li");
      const what = document.createElement("p");
      what.textContent = say(strings.recorded_of, {
        tool: session.tool_label || session.tool,
        teacher: session.teacher_name || "",
      });
      const why = document.createElement("p");
      why.textContent = say(strings.rejected, { reason: session.error || "" });
      const actions = document.createElement("p");
      actions.className = "actions";
      if (session.engagement) {
        const retry = document.createElement("button");
        retry.type = "button";
        retry.className = "button secondary";
        retry.textContent = strings.without_cycle;
        retry.addEventListener("click", async () => {
          session.engagement = null;
          session.state = "waiting";
          session.error = "";
          await window.TandemStore.put(session);
          await syncAll();
        });
        actions.append(retry);
      }
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "button danger";
      discard.textContent = strings.discard;
      discard.addEventListener("click", async () => {
        if (discard.dataset.confirm !== "yes") {
          discard.dataset.confirm = "yes";
          discard.textContent = strings.confirm_discard;
          return;
        }
        await window.TandemStore.remove(session.uuid);
        await render();
      });
      actions.append(discard);
      item.append(what, why, actions);
      rejectedList.append(item);
    }
  }

  function register() {
    if (!("serviceWorker" in navigator) || !config.serviceWorker) return;
    navigator.serviceWorker
      .register(config.serviceWorker, { scope: config.scope })
      .then(() => navigator.serviceWorker.ready)
      .then(tellWorker)
      .catch(() => {}); // offline use is a bonus: the page works without it
    navigator.serviceWorker.addEventListener("controllerchange", tellWorker);
  }

  window.addEventListener("online", () => {
    tellWorker();
    syncAll();
  });
  window.addEventListener("offline", () => {
    tellWorker();
    render();
  });
  setInterval(() => {
    if (navigator.onLine) syncAll();
  }, 30000);

  window.TandemSync = {
    syncAll,
    render,
    onChange: (listener) => listeners.push(listener),
    say,
    strings,
    config,
  };
  register();
  syncAll();
})();
