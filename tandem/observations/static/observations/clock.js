/* The running clock of a session, and the time of each tap. Date.now() is the one source
   of time, so a test (or a tired phone) can drive it, and times survive a reload. */
(function () {
  "use strict";

  function format(ms) {
    const total = Math.max(0, Math.floor((ms + 500) / 1000));
    const hours = Math.floor(total / 3600);
    const minutes = Math.floor((total % 3600) / 60);
    const seconds = String(total % 60).padStart(2, "0");
    return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
  }

  function iso(ms) {
    return new Date(ms).toISOString();
  }

  /* Calls tick(elapsed ms) about four times a second until stopped. */
  function run(startedMs, tick) {
    const step = () => tick(Date.now() - startedMs);
    step();
    const timer = setInterval(step, 250);
    return () => clearInterval(timer);
  }

  window.TandemClock = { format, iso, now: () => Date.now(), run };
})();
