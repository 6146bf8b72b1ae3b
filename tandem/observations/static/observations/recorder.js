/* A tool page: start a session, record taps with a running clock, undo the last tap,
   finish, and show the result — all on this device, with or without a network.

   Every tap is written to IndexedDB (store.js) as it happens, so a reload, a dead battery
   or a closed tab loses nothing: the page picks the session up where it was. Times come
   from the device's clock (clock.js); a tap is never timed before the one ahead of it. */
(function () {
  "use strict";
  const sync = window.TandemSync;
  if (!sync) return;
  const config = sync.config;
  const strings = config.strings;
  const say = sync.say;
  const $ = (id) => document.getElementById(id);

  const startPanel = $("obs-start");
  const recordPanel = $("obs-record");
  const resultPanel = $("obs-result");
  const startForm = $("obs-start-form");
  const clockElement = $("obs-clock");
  const last = $("obs-last");
  const now = $("obs-now");
  const due = $("obs-due");
  const tapButtons = Array.from(document.querySelectorAll("[data-tap]"));
  const labels = config.labels;
  let session = null;
  let stopClock = null;
  let item = 1;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function startedMs() {
    return Date.parse(session.started_at);
  }

  /* Now by the device's clock, never before the start or the last tap. */
  function tapTime() {
    const previous = session.events.length
      ? Date.parse(session.events[session.events.length - 1].at)
      : startedMs();
    return Math.max(window.TandemClock.now(), previous);
  }

  function labelOf(event) {
    if (config.tool === "questions") return `${labels[event.kind]} · ${config.details[event.detail]}`;
    if (config.tool === "custom") return labels[String(event.value)];
    if (config.tool === "time_on_task") return `${event.value} / ${event.total}`;
    if (config.tool === "achievement") return `${say(strings.item, { n: event.value })}: ${labels[event.kind]}`;
    return labels[event.kind];
  }

  function keyOf(event) {
    if (config.tool === "questions") return `${event.kind}.${event.detail}`;
    if (config.tool === "custom") return String(event.value);
    return event.kind;
  }

  function counts() {
    const found = new Map();
    for (const event of session.events) {
      if (config.tool === "achievement" && event.value !== item) continue;
      found.set(keyOf(event), (found.get(keyOf(event)) || 0) + 1);
    }
    return found;
  }

  function refresh() {
    const found = counts();
    for (const element of document.querySelectorAll("[data-count-for]")) {
      element.textContent = String(found.get(element.dataset.countFor) || 0);
    }
    if (config.switches) {
      const current = session.events.length ? session.events[session.events.length - 1].kind : null;
      for (const button of tapButtons) button.setAttribute("aria-pressed", String(button.dataset.kind === current));
      if (now) now.textContent = current ? say(strings.now, { label: labels[current] }) : strings.not_started;
    }
    if (config.tool === "achievement") {
      $("obs-item").textContent = say(strings.item_of, { n: item, total: session.settings.items });
    }
    $("obs-undo").disabled = session.events.length === 0;
  }

  function interval() {
    return Number(session.settings.interval_seconds || 0) * 1000;
  }

  function tick(elapsed) {
    const text = window.TandemClock.format(elapsed);
    if (clockElement.textContent !== text) clockElement.textContent = text;
    if (!interval() || !due && !now) return;
    const every = interval();
    const marks = session.events.length;
    // The next count is due one interval after the last one (or after the start).
    const lastAt = marks ? Date.parse(session.events[marks - 1].at) - startedMs() : 0;
    const left = every - (elapsed - lastAt);
    const target = due || now;
    const isDue = left <= 0;
    const message = isDue ? strings.sample_due : say(strings.next_sample, { time: window.TandemClock.format(left) });
    if (target.textContent !== message) target.textContent = message;
    target.classList.toggle("now-due", isDue);
  }

  function showRecording() {
    startPanel.hidden = true;
    resultPanel.hidden = true;
    recordPanel.hidden = false;
    $("obs-who").textContent = say(strings.recorded_of, { tool: config.toolLabel, teacher: session.teacher_name });
    if (stopClock) stopClock();
    stopClock = window.TandemClock.run(startedMs(), tick);
    refresh();
  }

  async function save() {
    await window.TandemStore.put(session);
  }

  async function start(event) {
    event.preventDefault();
    const teacher = $("obs-teacher");
    if (!teacher || !teacher.value) {
      const error = $("obs-start-error");
      error.textContent = strings.choose_teacher;
      error.hidden = false;
      return;
    }
    const settings = Object.assign({}, config.settings);
    if ($("obs-interval")) settings.interval_seconds = Number($("obs-interval").value);
    if ($("obs-items")) {
      settings.items = Math.min(100, Math.max(1, Math.round(Number($("obs-items").value) || 1)));
    }
    const cycle = $("obs-cycle");
    session = {
      uuid: newId(),
      observer: config.observer,
      tool: config.tool,
      tool_label: config.toolLabel,
      custom_tool: config.customTool,
      teacher: teacher.value,
      teacher_name: teacher.options[teacher.selectedIndex].text,
      engagement: cycle && cycle.value ? cycle.value : null,
      lesson: $("obs-lesson").value.trim(),
      settings,
      started_at: window.TandemClock.iso(window.TandemClock.now()),
      finished_at: null,
      seq: 0,
      events: [],
      state: "recording",
      page: location.pathname,
    };
    await save();
    item = 1;
    showRecording();
    $("obs-record-heading").focus();
  }

  async function tap(button) {
    if (!session || session.state !== "recording") return;
    const event = { id: newId(), seq: session.seq + 1, at: window.TandemClock.iso(tapTime()), kind: button.dataset.kind };
    if (button.dataset.detail) event.detail = button.dataset.detail;
    if (button.dataset.value) event.value = Number(button.dataset.value);
    if (config.tool === "achievement") event.value = item;
    if (config.tool === "time_on_task") {
      const present = Math.max(1, Math.min(500, Math.round(Number($("obs-present").value) || 1)));
      const engaged = Math.max(0, Math.min(present, Math.round(Number($("obs-engaged").value) || 0)));
      $("obs-present").value = present;
      $("obs-engaged").value = engaged;
      event.value = engaged;
      event.total = present;
    }
    session.seq = event.seq;
    session.events.push(event);
    await save();
    refresh();
    const key = keyOf(event);
    last.textContent = say(strings.recorded, { label: labelOf(event), count: counts().get(key) || 0 });
  }

  async function undo() {
    if (!session || !session.events.length) {
      last.textContent = strings.nothing_to_undo;
      return;
    }
    const event = session.events.pop();
    await save();
    if (config.tool === "achievement") item = event.value;
    refresh();
    last.textContent = say(strings.undone, { label: labelOf(event) });
  }

  async function finish() {
    if (!session) return;
    session.finished_at = window.TandemClock.iso(tapTime());
    session.state = "waiting";
    await save();
    if (stopClock) stopClock();
    showResult(session);
    sync.syncAll();
  }

  async function discard() {
    const button = $("obs-discard");
    if (button.dataset.confirm !== "yes") {
      button.dataset.confirm = "yes";
      button.textContent = strings.confirm_discard;
      return;
    }
    await window.TandemStore.remove(session.uuid);
    location.reload();
  }

  function taps(of) {
    const start = Date.parse(of.started_at);
    return of.events.map((event) => ({
      seq: event.seq,
      offset_ms: Date.parse(event.at) - start,
      kind: event.kind,
      detail: event.detail || "",
      value: event.value === undefined ? null : event.value,
      total: event.total === undefined ? null : event.total,
    }));
  }

  function cell(tag, text, className) {
    const element = document.createElement(tag);
    element.textContent = text;
    if (className) element.className = className;
    if (tag === "th") element.scope = "col";
    return element;
  }

  // Numbers as the page's language writes them (25,0 in Spanish), as Django does.
  function number(value, digits) {
    const format = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    return format.format(value);
  }

  function share(value) {
    return value === null ? "—" : `${number(value, 1)} %`;
  }

  function showResult(of) {
    const duration = Date.parse(of.finished_at) - Date.parse(of.started_at);
    const result = window.TandemResults.compute(of.tool, of.settings, taps(of), duration);
    startPanel.hidden = true;
    recordPanel.hidden = true;
    resultPanel.hidden = false;
    $("obs-result-who").textContent = `${say(strings.recorded_of, { tool: config.toolLabel, teacher: of.teacher_name })} · ${say(strings.duration, { time: window.TandemClock.format(duration) })}`;
    const digits = config.headline.unit === "%" ? 1 : 2;
    const headline = result.headline === null ? "—" : `${number(result.headline, digits)}${config.headline.unit}`;
    $("obs-headline-value").textContent = headline;
    $("obs-headline-label").textContent = config.headline.label;
    renderTable(of, result);
    renderTimeline(result);
    const line = $("obs-result-sync");
    line.textContent = strings.waiting_one;
    $("obs-result-heading").focus();
  }

  function renderTable(of, result) {
    const head = document.querySelector("#obs-result-table thead");
    const bodyRows = document.querySelector("#obs-result-table tbody");
    head.replaceChildren();
    bodyRows.replaceChildren();
    let columns;
    const rows = [];
    if (config.tool === "time_on_task") {
      columns = [strings.at, strings.engaged, strings.present, strings.share];
      result.points.forEach((p, n) =>
        rows.push([say(strings.sample, { n: n + 1 }), window.TandemClock.format(p.offset_ms), p.value, p.total, share(p.percent)]),
      );
    } else if (config.switches) {
      columns = [strings.time, strings.share, strings.count];
      for (const f of result.figures) rows.push([labels[f.key], window.TandemClock.format(f.ms), share(f.percent), f.count]);
    } else if (config.tool === "achievement") {
      columns = [strings.correct, strings.answered, strings.share];
      for (const f of result.figures) rows.push([say(strings.item, { n: f.key }), f.part, f.count, share(f.percent)]);
    } else if (config.tool === "questions") {
      columns = [strings.count, strings.share];
      for (const f of result.figures) {
        const [kind, level] = f.key.split(".");
        const label = level ? `${labels[kind]} · ${config.details[level]}` : labels[kind] || config.details[kind];
        rows.push([label, f.count, share(f.percent)]);
      }
    } else {
      const interval = config.tool === "custom" && of.settings.mode === "interval";
      columns = interval ? [strings.count, strings.share] : [strings.count, strings.share, strings.per_minute];
      for (const f of result.figures) {
        const row = [labels[f.key], f.count, share(f.percent)];
        if (!interval) row.push(f.per_minute === null ? "—" : number(f.per_minute, 2));
        rows.push(row);
      }
    }
    const headRow = document.createElement("tr");
    headRow.append(cell("td", ""));
    for (const column of columns) headRow.append(cell("th", column, "num"));
    head.append(headRow);
    for (const row of rows) {
      const tr = document.createElement("tr");
      const th = cell("th", String(row[0]));
      th.scope = "row";
      tr.append(th);
      for (const value of row.slice(1)) tr.append(cell("td", String(value), "num"));
      bodyRows.append(tr);
    }
  }

  function renderTimeline(result) {
    const chart = $("obs-result-chart");
    chart.replaceChildren();
    if (!result.spans.length || result.duration_ms <= 0) return;
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 1000 48");
    svg.setAttribute("preserveAspectRatio", "none");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.classList.add("timeline");
    const keys = Object.keys(labels);
    for (const span of result.spans) {
      const rect = document.createElementNS(ns, "rect");
      rect.setAttribute("x", String((span.start_ms * 1000) / result.duration_ms));
      rect.setAttribute("width", String(((span.end_ms - span.start_ms) * 1000) / result.duration_ms));
      rect.setAttribute("y", "0");
      rect.setAttribute("height", "48");
      rect.setAttribute("class", `tone-${Math.max(0, keys.indexOf(span.key))}`);
      svg.append(rect);
    }
    const caption = document.createElement("p");
    caption.className = "meta";
    caption.textContent = strings.timeline;
    chart.append(caption, svg);
  }

  function onKey(event) {
    if (!session || session.state !== "recording" || recordPanel.hidden) return;
    const target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "u" || event.key === "U") {
      event.preventDefault();
      undo();
      return;
    }
    const n = Number(event.key);
    if (n >= 1 && n <= tapButtons.length) {
      event.preventDefault();
      tap(tapButtons[n - 1]);
    }
  }

  function filterCycles() {
    const teacher = $("obs-teacher");
    const cycle = $("obs-cycle");
    if (!teacher || !cycle) return;
    for (const option of cycle.options) {
      if (!option.value) continue;
      option.hidden = option.dataset.teacher !== teacher.value;
      option.disabled = option.hidden;
    }
    if (cycle.selectedOptions[0] && cycle.selectedOptions[0].disabled) cycle.value = "";
  }

  async function resume() {
    const all = await window.TandemStore.all();
    const mine = all.filter(
      (s) => s.observer === config.observer && s.page === location.pathname && s.state === "recording",
    );
    if (mine.length) {
      session = mine[mine.length - 1];
      const lastEvent = session.events[session.events.length - 1];
      if (config.tool === "achievement" && lastEvent) item = lastEvent.value;
      showRecording();
    }
  }

  if (startForm) startForm.addEventListener("submit", start);
  for (const button of tapButtons) button.addEventListener("click", () => tap(button));
  $("obs-undo").addEventListener("click", undo);
  $("obs-finish").addEventListener("click", finish);
  $("obs-discard").addEventListener("click", discard);
  for (const button of document.querySelectorAll("[data-step]")) {
    button.addEventListener("click", () => {
      const input = $(button.dataset.step);
      input.value = String(Math.max(Number(input.min || 0), Math.min(Number(input.max || 500), (Number(input.value) || 0) + Number(button.dataset.by))));
    });
  }
  if ($("obs-prev-item")) {
    $("obs-prev-item").addEventListener("click", () => {
      item = Math.max(1, item - 1);
      refresh();
    });
    $("obs-next-item").addEventListener("click", () => {
      item = Math.min(Number(session.settings.items), item + 1);
      refresh();
    });
  }
  if ($("obs-teacher")) {
    $("obs-teacher").addEventListener("change", filterCycles);
    filterCycles();
  }
  document.addEventListener("keydown", onKey);
  sync.onChange((change) => {
    if (!session || change.uuid !== session.uuid) return;
    const line = $("obs-result-sync");
    line.replaceChildren();
    if (change.state === "synced") {
      const link = document.createElement("a");
      link.href = change.url;
      link.textContent = strings.open_saved;
      line.append(strings.synced + " ", link);
    } else if (change.state === "rejected") {
      line.textContent = say(strings.rejected, { reason: change.reason });
    }
  });
  // Once a session kept in this browser is back on screen (or there was none), say so:
  // tests wait for it instead of racing the restore.
  resume().finally(() => {
    document.body.dataset.recorderReady = "true";
  });
})();
