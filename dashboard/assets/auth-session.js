// When the session ends (sign-out elsewhere, inactivity, account disabled), the server answers
// Dash's requests with 401 and no data. Reload the page once so the server's guard sends the
// browser to the sign-in page, instead of leaving a page that silently stops updating.
(function () {
  "use strict";
  var originalFetch = window.fetch;
  var reloading = false;
  window.fetch = function () {
    return originalFetch.apply(this, arguments).then(function (response) {
      if (response.status === 401 && !reloading) {
        reloading = true;
        window.location.reload();
      }
      return response;
    });
  };
})();
