// Editor enhancements: live Markdown preview as you type, and autosave of drafts.
// The editor works without this file (Preview and Save buttons post the form).
(function () {
  "use strict";
  var form = document.getElementById("post-form");
  if (!form) { return; }
  var body = form.querySelector("textarea[name=body]");
  var title = form.querySelector("input[name=title]");
  var excerpt = form.querySelector("textarea[name=excerpt]");
  var version = form.querySelector("input[name=version]");
  var token = form.querySelector("input[name=csrf_token]");
  var output = document.getElementById("preview-output");
  var status = document.getElementById("autosave-status");
  var previewTimer = null;
  var lastSaved = null;
  var inflight = null;
  var submitting = false;

  function post(url, fields) {
    var data = new FormData();
    Object.keys(fields).forEach(function (key) { data.append(key, fields[key]); });
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value, "Accept": "application/json" }
    });
  }

  function refreshPreview() {
    post(form.dataset.previewUrl, { body: body.value })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) { if (data) { output.innerHTML = data.html; } })
      .catch(function () { /* the Preview button still works */ });
  }

  if (body && output) {
    body.addEventListener("input", function () {
      clearTimeout(previewTimer);
      previewTimer = setTimeout(refreshPreview, 400);
    });
    refreshPreview();
  }

  function snapshot() {
    return [title.value, body.value, excerpt ? excerpt.value : ""].join("\u0000");
  }
  lastSaved = snapshot();

  function autosave() {
    var now = snapshot();
    if (submitting || inflight || now === lastSaved || (!title.value.trim() && !body.value.trim())) {
      return;
    }
    inflight = post(form.dataset.autosaveUrl, {
      title: title.value,
      body: body.value,
      excerpt: excerpt ? excerpt.value : "",
      version: version ? version.value : "",
      post_type: form.dataset.postType
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        status.textContent = result.data.error || "Autosave failed; use Save.";
        return;
      }
      lastSaved = now;
      if (version) { version.value = result.data.version; }
      if (form.dataset.autosaveUrl !== result.data.autosave_url) {
        form.dataset.autosaveUrl = result.data.autosave_url;
        form.action = result.data.edit_url;
        if (window.history && window.history.replaceState) {
          window.history.replaceState(null, "", result.data.edit_url);
        }
      }
      status.textContent = "Draft autosaved at " + result.data.saved_at + ".";
    }).catch(function () {
      status.textContent = "Autosave failed (offline?). Your text is still here; use Save.";
    }).then(function () { inflight = null; });
  }
  var timer = setInterval(autosave, (parseInt(form.dataset.autosaveSeconds, 10) || 30) * 1000);

  // A Save or Publish while an autosave is on its way waits for it, so that the form
  // carries the version the autosave produced instead of meeting it as a conflict.
  form.addEventListener("submit", function (event) {
    submitting = true;
    clearInterval(timer);
    if (inflight) {
      event.preventDefault();
      var button = event.submitter;
      inflight.then(function () { form.requestSubmit(button); });
    }
  });
})();
