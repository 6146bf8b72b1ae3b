// The video annotator: comments at the current moment (the player pauses while you
// type), comment times that seek the player, and one "playback started" note for the
// access log per page. Keyboard: Space or K plays and pauses, the arrow keys move
// 5 seconds, while the player has focus.
(function () {
  "use strict";
  var video = document.getElementById("lesson-video");
  if (!video) { return; }
  var form = document.getElementById("comment-form");
  var at = form ? form.querySelector("input[name=at]") : null;
  var body = form ? form.querySelector("textarea[name=body]") : null;
  var moment = document.getElementById("comment-moment");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var reported = false;

  function clock(seconds) {
    var s = Math.floor(seconds);
    var h = Math.floor(s / 3600);
    var m = Math.floor((s % 3600) / 60);
    var rest = String(s % 60).padStart(2, "0");
    return h ? h + ":" + String(m).padStart(2, "0") + ":" + rest : m + ":" + rest;
  }

  function holdMoment() {
    if (!at) { return; }
    at.value = video.currentTime.toFixed(3);
    if (moment) { moment.textContent = moment.dataset.template.replace("{time}", clock(video.currentTime)); }
  }

  video.addEventListener("play", function () {
    if (reported || !csrfInput) { return; }
    reported = true;
    fetch(video.dataset.playedUrl, {
      method: "POST",
      headers: { "X-CSRFToken": csrfInput.value },
      credentials: "same-origin"
    });
  });

  video.addEventListener("timeupdate", function () {
    // While someone writes, the comment keeps the moment it was started at.
    if (body && document.activeElement !== body && !body.value) { holdMoment(); }
  });

  if (body) {
    body.addEventListener("focus", function () {
      if (!body.value) { holdMoment(); }
      video.pause();
    });
    body.addEventListener("input", function () { video.pause(); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.seek");
    if (!button) { return; }
    video.currentTime = Number(button.dataset.seek);
    holdMoment();
    video.focus();
  });

  video.addEventListener("keydown", function (event) {
    if (event.key === " " || event.key === "k") {
      event.preventDefault();
      if (video.paused) { video.play(); } else { video.pause(); }
    } else if (event.key === "ArrowLeft") {
      event.preventDefault();
      video.currentTime = Math.max(0, video.currentTime - 5);
    } else if (event.key === "ArrowRight") {
      event.preventDefault();
      video.currentTime = Math.min(video.duration || 0, video.currentTime + 5);
    }
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "comments-list" && body &&
        document.querySelector("#comments-list .message.success")) {
      body.value = "";
      holdMoment();
    }
  });
})();
