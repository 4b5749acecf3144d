/* Dash draws a callback's new components with a "new render" flag, and each of them, once
   mounted, dispatches RESET_COMPONENT_STATE to the page's Redux store. Every dispatch makes
   every component on the page re-run its store selector: a callback returning n components
   on a page of m costs n x m selector runs (a 50-row indicator table at scale 100: 971
   dispatches x ~1,200 components, 5 s before page 2 of the table appeared).
   These resets come in one burst, from React's effects after a commit. Here the store tells
   its subscribers once, in a microtask after the burst, rather than once per reset; every
   other action notifies as before. The store is patched when Dash creates it (window.store
   is set before React subscribes to it). */
(function () {
  var BATCHED = "RESET_COMPONENT_STATE";
  var current;

  function batchResets(store) {
    var dispatch = store.dispatch;
    var subscribe = store.subscribe;
    var listeners = [];
    var quiet = 0;
    var missed = false;
    var scheduled = false;

    function flush() {
      scheduled = false;
      if (!missed) return;
      missed = false;
      listeners.slice().forEach(function (entry) {
        if (entry.active) entry.listener();
      });
    }

    store.subscribe = function (listener) {
      var entry = { listener: listener, active: true };
      listeners.push(entry);
      var unsubscribe = subscribe.call(store, function () {
        if (quiet > 0) {
          missed = true;
          return;
        }
        listener();
      });
      return function () {
        entry.active = false;
        listeners = listeners.filter(function (other) {
          return other !== entry;
        });
        return unsubscribe();
      };
    };

    store.dispatch = function (action) {
      if (!action || action.type !== BATCHED) return dispatch.apply(store, arguments);
      quiet += 1;
      try {
        return dispatch.apply(store, arguments);
      } finally {
        quiet -= 1;
        if (missed && !scheduled) {
          scheduled = true;
          queueMicrotask(flush);
        }
      }
    };
    store.ctiBatchedResets = true;
  }

  Object.defineProperty(window, "store", {
    configurable: true,
    enumerable: true,
    get: function () {
      return current;
    },
    set: function (store) {
      current = store;
      if (store && typeof store.dispatch === "function" && !store.ctiBatchedResets) {
        batchResets(store);
      }
    },
  });
})();
