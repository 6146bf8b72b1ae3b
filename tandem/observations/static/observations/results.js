/* What a session's taps add up to: the result screen's figures, computed on the phone so
   they show with no network. The same reading as tandem/observations/results.py, rule for
   rule and digit for digit (integer arithmetic, rounded half up); a browser test holds
   the two to the same answers on hundreds of sessions. The shape is Result.as_dict(). */
(function () {
  "use strict";

  const KINDS = {
    responses: ["individual", "group", "written"],
    praise: ["praise", "correction"],
    questions: ["open", "closed"],
    talk_time: ["teacher", "students", "silence"],
    segments: ["instruction", "transition", "management", "other"],
  };
  const LEVELS = ["recall", "understanding", "application"];
  const HEADLINE = { talk_time: "students", segments: "instruction" };

  function percent(part, whole) {
    if (whole <= 0) return null;
    return Math.floor((2 * part * 1000 + whole) / (2 * whole)) / 10;
  }

  function perMinute(count, durationMs) {
    if (durationMs <= 0) return null;
    return Math.floor((2 * count * 6000000 + durationMs) / (2 * durationMs)) / 100;
  }

  function ratio(part, whole) {
    if (whole <= 0) return null;
    return Math.floor((2 * part * 100 + whole) / (2 * whole)) / 100;
  }

  function figure(key, fields) {
    return Object.assign(
      { key, count: 0, part: null, ms: null, percent: null, per_minute: null },
      fields,
    );
  }

  function result(tool, durationMs, count, headline, parts) {
    return Object.assign(
      { tool, duration_ms: durationMs, count, headline, figures: [], spans: [], points: [], extra: {} },
      parts,
    );
  }

  function tally(tool, taps, durationMs, keys, headline, interval) {
    const counts = new Map(keys.map((key) => [key, 0]));
    for (const tap of taps) {
      const key = tool === "custom" ? String(tap.value) : tap.kind;
      if (counts.has(key)) counts.set(key, counts.get(key) + 1);
    }
    let total = 0;
    counts.forEach((n) => (total += n));
    const figures = keys.map((key) =>
      figure(key, {
        count: counts.get(key),
        percent: percent(counts.get(key), total),
        per_minute: interval ? null : perMinute(counts.get(key), durationMs),
      }),
    );
    let value;
    if (headline === "rate") value = perMinute(total, durationMs);
    else if (headline === "ratio") value = ratio(counts.get("praise") || 0, counts.get("correction") || 0);
    else value = figures.length ? figures[0].percent : null;
    const points = interval
      ? taps
          .filter((tap) => counts.has(String(tap.value)))
          .map((tap) => ({ offset_ms: tap.offset_ms, value: tap.value || 0, total: keys.length, percent: null }))
      : [];
    return result(tool, durationMs, total, value, {
      figures,
      points,
      extra: { per_minute: interval ? null : perMinute(total, durationMs) },
    });
  }

  function questions(taps, durationMs) {
    const keys = [...KINDS.questions, ...LEVELS];
    for (const kind of KINDS.questions) for (const level of LEVELS) keys.push(`${kind}.${level}`);
    const counts = new Map(keys.map((key) => [key, 0]));
    const bump = (key) => counts.set(key, counts.get(key) + 1);
    for (const tap of taps) {
      if (!KINDS.questions.includes(tap.kind)) continue;
      bump(tap.kind);
      if (LEVELS.includes(tap.detail)) {
        bump(tap.detail);
        bump(`${tap.kind}.${tap.detail}`);
      }
    }
    const total = KINDS.questions.reduce((sum, kind) => sum + counts.get(kind), 0);
    const figures = keys.map((key) =>
      figure(key, {
        count: counts.get(key),
        percent: percent(counts.get(key), total),
        per_minute: key.includes(".") ? null : perMinute(counts.get(key), durationMs),
      }),
    );
    return result("questions", durationMs, total, percent(counts.get("open"), total), {
      figures,
      extra: { per_minute: perMinute(total, durationMs) },
    });
  }

  function timeOnTask(taps, durationMs) {
    const points = taps
      .filter((tap) => tap.kind === "sample")
      .map((tap) => ({
        offset_ms: tap.offset_ms,
        value: tap.value || 0,
        total: tap.total || 0,
        percent: percent(tap.value || 0, tap.total || 0),
      }));
    const engaged = points.reduce((sum, p) => sum + p.value, 0);
    const present = points.reduce((sum, p) => sum + p.total, 0);
    const share = percent(engaged, present);
    return result("time_on_task", durationMs, points.length, share, {
      figures: [figure("engaged", { count: present, part: engaged, percent: share })],
      points,
    });
  }

  function stopwatch(tool, taps, durationMs) {
    const keys = KINDS[tool];
    let spans = [];
    const turns = new Map(keys.map((key) => [key, 0]));
    for (const tap of taps) {
      if (!turns.has(tap.kind)) continue;
      const start = Math.min(Math.max(tap.offset_ms, 0), durationMs);
      const last = spans[spans.length - 1];
      if (last && last.key === tap.kind) continue;
      if (last) last.end_ms = start;
      turns.set(tap.kind, turns.get(tap.kind) + 1);
      spans.push({ key: tap.kind, start_ms: start, end_ms: durationMs });
    }
    spans = spans.filter((span) => span.end_ms > span.start_ms);
    const times = new Map(keys.map((key) => [key, 0]));
    for (const span of spans) times.set(span.key, times.get(span.key) + span.end_ms - span.start_ms);
    let counted = 0;
    times.forEach((ms) => (counted += ms));
    const figures = keys.map((key) =>
      figure(key, { count: turns.get(key), ms: times.get(key), percent: percent(times.get(key), counted) }),
    );
    let switches = 0;
    turns.forEach((n) => (switches += n));
    return result(tool, durationMs, switches, percent(times.get(HEADLINE[tool]), counted), {
      figures,
      spans,
      extra: { counted_ms: counted },
    });
  }

  function achievement(taps, durationMs, items) {
    const answered = new Map();
    const correct = new Map();
    for (let item = 1; item <= items; item += 1) {
      answered.set(item, 0);
      correct.set(item, 0);
    }
    for (const tap of taps) {
      if (answered.has(tap.value) && (tap.kind === "correct" || tap.kind === "incorrect")) {
        answered.set(tap.value, answered.get(tap.value) + 1);
        if (tap.kind === "correct") correct.set(tap.value, correct.get(tap.value) + 1);
      }
    }
    const figures = [];
    let total = 0;
    let right = 0;
    answered.forEach((n, item) => {
      figures.push(figure(String(item), { count: n, part: correct.get(item), percent: percent(correct.get(item), n) }));
      total += n;
      right += correct.get(item);
    });
    return result("achievement", durationMs, total, percent(right, total), { figures, extra: { correct: right } });
  }

  /* The result of one session of `tool`, from its taps in any order. */
  function compute(tool, settings, taps, durationMs) {
    const ordered = [...taps].sort((a, b) => a.seq - b.seq);
    switch (tool) {
      case "time_on_task":
        return timeOnTask(ordered, durationMs);
      case "talk_time":
      case "segments":
        return stopwatch(tool, ordered, durationMs);
      case "achievement":
        return achievement(ordered, durationMs, Number(settings.items || 0));
      case "questions":
        return questions(ordered, durationMs);
      case "custom": {
        const keys = (settings.labels || []).map((_label, n) => String(n + 1));
        return tally(tool, ordered, durationMs, keys, "share", settings.mode === "interval");
      }
      case "praise":
        return tally(tool, ordered, durationMs, KINDS.praise, "ratio", false);
      case "responses":
        return tally(tool, ordered, durationMs, KINDS.responses, "rate", false);
      default:
        throw new Error(`unknown tool ${tool}`);
    }
  }

  window.TandemResults = { compute, percent, perMinute, ratio };
})();
