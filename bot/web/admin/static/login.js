// The sign-in token travels after '#', which browsers never send: copy it into the form, then drop it from
// the address bar and the history. Without JavaScript the admin pastes it into the box instead.
(function () {
  var token = window.location.hash.slice(1);
  if (!token) return;
  document.getElementById("token").value = decodeURIComponent(token);
  document.getElementById("code").style.display = "none";  // not .hidden: the page's CSS shows labels
  history.replaceState(null, "", window.location.pathname + window.location.search);
})();
