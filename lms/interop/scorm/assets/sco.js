/* The SCORM runtime side of a lesson page (SCORM 1.2 or 2004, from <html data-scorm="...">).
 *
 * - Finds the LMS's API the way ADL's discovery algorithm does: up the frame parents, then the opener (and
 *   the opener of the top window); a frame of another origin on the way is skipped, not fatal.
 * - Session time is measured from initialise to finish and reported just before finishing.
 * - The session is finished on pagehide as well as unload (a frame may not be allowed unload handlers),
 *   once only.
 * - Status is never moved backwards: a lesson is marked completed when its end has been on screen, but a
 *   passed, failed or completed status the LMS already holds is left as it is.
 */
(function () {
  "use strict";
  var V2004 = document.documentElement.getAttribute("data-scorm") === "2004";
  var NAME = V2004 ? "API_1484_11" : "API";

  function apiIn(win) {
    try { return win[NAME] || null; } catch (e) { return null; }  /* another origin: not here */
  }
  function parentOf(win) {
    try { return win.parent && win.parent !== win ? win.parent : null; } catch (e) { return null; }
  }
  function search(win) {
    for (var hops = 0; win && hops < 500; hops++) {
      var api = apiIn(win);
      if (api) return api;
      win = parentOf(win);
    }
    return null;
  }
  function openerOf(win) {
    try { return win && win.opener ? win.opener : null; } catch (e) { return null; }
  }
  function topOf(win) {
    try { return win.top; } catch (e) { return null; }
  }
  function find() {
    return search(window) || search(openerOf(window)) || search(openerOf(topOf(window)));
  }

  var api = find();
  if (!api) return;
  var call = V2004 ? {
    init: function () { return api.Initialize(""); },
    get: function (k) { return api.GetValue(k); },
    set: function (k, v) { return api.SetValue(k, v); },
    commit: function () { return api.Commit(""); },
    finish: function () { return api.Terminate(""); }
  } : {
    init: function () { return api.LMSInitialize(""); },
    get: function (k) { return api.LMSGetValue(k); },
    set: function (k, v) { return api.LMSSetValue(k, v); },
    commit: function () { return api.LMSCommit(""); },
    finish: function () { return api.LMSFinish(""); }
  };
  if (String(call.init()) !== "true") return;
  var started = Date.now();
  var finished = false;

  function two(n) { return (n < 10 ? "0" : "") + n; }
  function sessionTime() {
    var centis = Math.round((Date.now() - started) / 10);
    var hours = Math.floor(centis / 360000), minutes = Math.floor(centis / 6000) % 60;
    var seconds = Math.floor(centis / 100) % 60, hundredths = centis % 100;
    if (V2004) return "PT" + hours + "H" + minutes + "M" + seconds + "." + two(hundredths) + "S";
    return (hours < 1000 ? ("000" + hours).slice(-4) : String(Math.min(hours, 9999))) + ":" + two(minutes) + ":" +
      two(seconds) + "." + two(hundredths);
  }

  var STATUS = V2004 ? "cmi.completion_status" : "cmi.core.lesson_status";
  var DONE = V2004 ? ["completed"] : ["passed", "failed", "completed"];
  var status = String(call.get(STATUS));
  var done = DONE.indexOf(status) >= 0;
  if (!done && status !== "incomplete") {
    call.set(STATUS, "incomplete");
  }
  if (!V2004) call.set("cmi.core.exit", "");
  call.commit();

  function markCompleted() {
    if (done || finished) return;
    done = true;
    if (DONE.indexOf(String(call.get(STATUS))) < 0) {
      call.set(STATUS, "completed");
      call.commit();
    }
  }
  var end = document.getElementById("end");
  if (end && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries, observer) {
      for (var i = 0; i < entries.length; i++) {
        if (entries[i].isIntersecting) { observer.disconnect(); markCompleted(); return; }
      }
    }).observe(end);
  } else {
    markCompleted();
  }

  var TIME = V2004 ? "cmi.session_time" : "cmi.core.session_time";
  function finish() {
    if (finished) return;
    finished = true;
    call.set(TIME, sessionTime());
    if (V2004) call.set("cmi.exit", "normal");
    call.commit();
    call.finish();
  }
  /* A phone may discard a page in the background without pagehide: keep the time so far with the LMS. */
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && !finished) { call.set(TIME, sessionTime()); call.commit(); }
  });
  window.addEventListener("pagehide", finish);
  try { window.addEventListener("unload", finish); } catch (e) { /* unload not allowed here: pagehide does it */ }
})();
