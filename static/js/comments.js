/* The Leave a Reply box, improved when JavaScript runs; everything works without it.
 *
 * - "Reply" moves the form under the comment (the link's ?replytocom=ID#respond is the
 *   no-JavaScript way) and "Cancel reply" puts it back.
 * - Choosing a provider says "Connecting to Google…" in the box's live region while the
 *   browser goes there with the typed form.
 */
(function () {
  "use strict";

  var respond = document.getElementById("respond");
  if (!respond) {
    return;
  }
  var parentField = document.getElementById("comment_parent");
  var title = document.getElementById("reply-title-text");
  var cancel = document.getElementById("cancel-comment-reply-link");
  var status = document.getElementById("comment-status");
  var form = document.getElementById("commentform");

  // Where the box lives when it is not answering a comment.
  var home = document.createElement("div");
  home.hidden = true;
  respond.parentNode.insertBefore(home, respond);

  function focusText() {
    var text = document.getElementById("comment");
    if (text) {
      text.focus();
    }
  }

  function replyTo(link) {
    var id = link.getAttribute("data-commentid");
    var body = document.getElementById("div-comment-" + id);
    if (!body || !parentField) {
      return false;
    }
    body.parentNode.insertBefore(respond, body.nextSibling);
    parentField.value = id;
    if (title) {
      title.textContent = link.getAttribute("data-replyto") || "Leave a Reply";
    }
    if (cancel) {
      cancel.hidden = false;
    }
    focusText();
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.comment-reply-link") : null;
    if (link && replyTo(link)) {
      event.preventDefault();
    }
  });

  if (cancel && parentField) {
    cancel.addEventListener("click", function (event) {
      event.preventDefault();
      home.parentNode.insertBefore(respond, home);
      parentField.value = "0";
      if (title) {
        title.textContent = "Leave a Reply";
      }
      cancel.hidden = true;
      if (window.history && window.location.search.indexOf("replytocom=") !== -1) {
        window.history.replaceState(null, "", respond.getAttribute("data-post-url") + "#respond");
      }
      focusText();
    });
  }

  if (form && status) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      var message = button && button.getAttribute("data-connecting");
      if (message) {
        status.textContent = message;
        respond.classList.add("is-connecting");
      }
    });
  }
})();
