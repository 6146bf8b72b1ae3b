// The lesson-video uploader: tus-js-client sends the file in pieces to Tandem's tus
// endpoint, shows progress, pauses and resumes, and continues an interrupted upload
// of the same file (after a dropped connection or a reload: its address is kept in
// this browser's localStorage by tus-js-client). No inline script: CSP allows none.
(function () {
  "use strict";
  var form = document.getElementById("video-upload");
  if (!form || !window.tus) { return; }
  var fileInput = document.getElementById("video-file");
  var titleInput = document.getElementById("video-title");
  var start = document.getElementById("upload-start");
  var pause = document.getElementById("upload-pause");
  var resume = document.getElementById("upload-resume");
  var bar = document.getElementById("upload-bar");
  var progressBox = form.querySelector(".upload-progress");
  var status = document.getElementById("upload-status");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var maxBytes = Number(form.dataset.maxBytes);
  var quotaLeft = Number(form.dataset.quotaLeft);
  var upload = null;
  var videoUrl = null;

  function say(key, values) {
    var text = status.dataset[key] || "";
    Object.keys(values || {}).forEach(function (name) {
      text = text.replace("{" + name + "}", values[name]);
    });
    status.textContent = text;
  }

  function size(bytes) {
    var units = ["B", "KB", "MB", "GB"];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return bytes.toFixed(i ? 1 : 0) + " " + units[i];
  }

  function show(el, shown) { el.hidden = !shown; }

  function begin(file) {
    upload = new window.tus.Upload(file, {
      endpoint: form.dataset.endpoint,
      chunkSize: Number(form.dataset.chunkBytes) || 8 * 1024 * 1024,
      retryDelays: [0, 1000, 3000, 5000, 10000, 20000, 30000],
      removeFingerprintOnSuccess: true,
      headers: { "X-CSRFToken": csrf },
      metadata: { title: titleInput.value, filetype: file.type || "" },
      onAfterResponse: function (req, res) {
        var url = res.getHeader("Tandem-Video");
        if (url) { videoUrl = url; }
      },
      onShouldRetry: function (err, retryAttempt, options) {
        var s = err.originalResponse ? err.originalResponse.getStatus() : 0;
        if (!s) { say("msgOffline"); }
        return !s || s === 409 || s === 423 || s >= 500;
      },
      onProgress: function (sent, total) {
        bar.value = Math.floor((sent / total) * 100);
        bar.textContent = bar.value + "%";
        say("msgProgress", { done: size(sent), total: size(total) });
      },
      onError: function (err) {
        var body = err.originalResponse ? err.originalResponse.getBody() : "";
        status.textContent = status.dataset.msgFailed + " " + (body || err.message);
        show(pause, false); show(resume, false); show(start, true);
        start.disabled = false;
      },
      onSuccess: function () {
        say("msgDone");
        show(pause, false); show(resume, false);
        if (videoUrl) { window.location.assign(videoUrl); }
      }
    });
    upload.findPreviousUploads().then(function (previous) {
      if (previous.length) {
        say("msgResuming");
        upload.resumeFromPreviousUpload(previous[0]);
      }
      upload.start();
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var file = fileInput.files && fileInput.files[0];
    if (!file) { say("msgChoose"); fileInput.focus(); return; }
    if (file.size > maxBytes) { say("msgTooLarge"); return; }
    if (file.size > quotaLeft) { say("msgNoRoom"); return; }
    start.disabled = true;
    show(start, false); show(pause, true); show(progressBox, true);
    begin(file);
  });
  pause.addEventListener("click", function () {
    if (!upload) { return; }
    upload.abort();
    show(pause, false); show(resume, true);
    say("msgPaused");
    resume.focus();
  });
  resume.addEventListener("click", function () {
    if (!upload) { return; }
    upload.start();
    show(resume, false); show(pause, true);
    pause.focus();
  });
})();
