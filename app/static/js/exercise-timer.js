/* The timer on an exercise row of Today (app/care/timer.py plans it, _exercise_row.html draws it).
   For a dose with a hold: "Get ready", then each hold counted down, a tone and a buzz at its end,
   a short "Relax" between holds, a pause between sets until the patient starts the next one. For a
   dose in minutes: one countdown and a tone at its end. Every word comes from the page (data-words
   on #timer-parts and on the row, in the reader's language); the polite live region says each
   change, never each second. Nothing is fetched, so it works offline as it does online. */
(function () {
  "use strict";

  var TICK_MS = 200;
  var audio = null;

  /* Web Audio needs a tap to start: the Start button's. Without it the timer still runs, silently. */
  function wakeAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return; }
    try {
      if (!audio) { audio = new Context(); }
      if (audio.state === "suspended") { audio.resume(); }
    } catch (error) { audio = null; }
  }

  function tone(frequency, after, length) {
    if (!audio) { return; }
    try {
      var start = audio.currentTime + after;
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(0.35, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + length + 0.05);
    } catch (error) { /* no sound on this phone: the words and the buzz still come */ }
  }

  function buzz(pattern) {
    if (navigator.vibrate) {
      try { navigator.vibrate(pattern); } catch (error) { /* not on this device */ }
    }
  }

  var sounds = {
    holdStarts: function () { tone(880, 0, 0.15); },
    holdEnds: function () { tone(660, 0, 0.35); buzz(200); },
    allDone: function () { tone(523, 0, 0.2); tone(659, 0.22, 0.2); tone(784, 0.44, 0.4); buzz([200, 100, 200]); }
  };

  /* The screen stays on while the timer runs (a locked phone stops the count). */
  function keepAwake(timer) {
    if (!navigator.wakeLock || timer.lock) { return; }
    navigator.wakeLock.request("screen").then(function (lock) { timer.lock = lock; }).catch(function () {});
  }
  function letSleep(timer) {
    if (timer.lock) { timer.lock.release().catch(function () {}); timer.lock = null; }
  }

  function fill(text, values) {
    return text.replace(/\{(rep|set)\}/g, function (match, name) { return String(values[name]); });
  }

  function clock(seconds) {
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes + ":" + (rest < 10 ? "0" : "") + rest;
  }

  /* The controls and the words every timer shares are on the page once (#timer-parts); a row's
     timer carries its numbers and the words with its totals. Each timer gets its own copy of the
     controls as it wakes, its exercise's name where a button says it to a screen reader. */
  function addParts(root, row) {
    var shared = document.getElementById("timer-parts");
    if (!shared) { throw new Error("#timer-parts"); }  /* caught by enhance: the timer stays hidden */
    if (!root.querySelector("[data-timer-run]")) {
      var parts = shared.content.cloneNode(true);
      var sessions = row.querySelector(".exercise__sessions");
      if (sessions) { sessions.appendChild(parts.querySelector("[data-timer-start]")); }
      root.appendChild(parts);
    }
    var name = row.querySelector(".exercise__name");
    Array.prototype.forEach.call(row.querySelectorAll("[data-timer-name]"), function (element) {
      element.textContent = name ? ": " + name.textContent : "";
    });
    return Object.assign(
      JSON.parse(shared.getAttribute("data-words") || "{}"),
      JSON.parse(root.getAttribute("data-words") || "{}")
    );
  }

  function Timer(root) {
    this.root = root;
    this.row = root.closest("li.exercise") || root.parentNode;
    this.words = addParts(root, this.row);
    this.sets = Number(root.getAttribute("data-sets")) || 1;
    this.reps = Number(root.getAttribute("data-reps")) || 1;
    this.hold = Number(root.getAttribute("data-hold")) || 0;
    this.minutes = Number(root.getAttribute("data-minutes")) || 0;
    this.rest = Number(root.getAttribute("data-rest")) || 0;
    this.ready = Number(root.getAttribute("data-ready")) || 0;
    this.parts = {};
    /* The start button is in the timer, or beside the row's ticks; one timer to a row. */
    this.parts.start = root.querySelector("[data-timer-start]") || this.row.querySelector("[data-timer-start]");
    this.parts.label = this.parts.start.querySelector("[data-timer-label]");
    ["run", "phase", "count", "fill", "where", "pause", "stop", "said", "end", "next", "tick"]
      .forEach(function (name) { this.parts[name] = root.querySelector("[data-timer-" + name + "]"); }, this);
    this.interval = null;
    this.paused = false;
    this.lock = null;
    this.parts.start.addEventListener("click", this.begin.bind(this));
    this.parts.pause.addEventListener("click", this.togglePause.bind(this));
    this.parts.stop.addEventListener("click", this.stop.bind(this));
    this.parts.next.addEventListener("click", this.nextSet.bind(this));
    this.parts.tick.addEventListener("click", this.tick.bind(this));
    root.hidden = false;
    this.parts.start.hidden = false;
    this.row.classList.add("has-timer");
  }

  Timer.prototype.say = function (text) {
    /* A polite region: the same words twice in a row are still heard (cleared, then set). */
    var said = this.parts.said;
    said.textContent = "";
    window.setTimeout(function () { said.textContent = text; }, 50);
  };

  Timer.prototype.where = function () {
    if (!this.hold) { return ""; }
    var parts = [fill(this.words.rep, { rep: this.rep })];
    if (this.sets > 1) { parts.push(fill(this.words.set, { set: this.set })); }
    return parts.join(" · ");
  };

  Timer.prototype.show = function (running) {
    this.parts.start.hidden = running;
    this.parts.run.hidden = !running;
    this.parts.end.hidden = true;
    this.parts.next.hidden = true;
    this.parts.tick.hidden = true;
    this.root.classList.toggle("is-running", running);
  };

  Timer.prototype.begin = function () {
    wakeAudio();
    this.root.classList.add("is-open");
    keepAwake(this);
    this.set = 1;
    this.rep = 1;
    this.show(true);
    this.setPaused(false);
    if (this.hold) {
      this.enter("ready", this.ready, this.words.get_ready);
      this.say(this.words.get_ready);
    } else {
      this.enter("minutes", this.minutes * 60, this.words.keep_going);
      this.say(this.words.runs_for);
    }
    this.parts.pause.focus();
  };

  /* One stretch of the countdown: its name on screen, its end at a time on the clock (a throttled
     tab or a slow phone catches up instead of drifting). */
  Timer.prototype.enter = function (phase, seconds, label) {
    this.phase = phase;
    this.total = seconds * 1000;
    this.left = this.total;
    this.deadline = performance.now() + this.total;
    this.parts.phase.textContent = label;
    this.parts.where.textContent = phase === "minutes" ? "" : this.where();
    this.root.setAttribute("data-phase", phase);
    this.draw();
    this.run();
  };

  Timer.prototype.run = function () {
    window.clearInterval(this.interval);
    this.interval = window.setInterval(this.update.bind(this), TICK_MS);
  };

  Timer.prototype.halt = function () {
    window.clearInterval(this.interval);
    this.interval = null;
  };

  Timer.prototype.update = function () {
    if (!this.root.isConnected) { this.halt(); letSleep(this); return; }  /* the row was swapped */
    this.left = Math.max(0, this.deadline - performance.now());
    this.draw();
    if (this.left <= 0) { this.next(); }
  };

  Timer.prototype.draw = function () {
    var seconds = Math.ceil(this.left / 1000);
    this.parts.count.textContent = this.phase === "minutes" ? clock(seconds) : String(seconds);
    var done = this.total ? 1 - this.left / this.total : 1;
    this.parts.fill.style.transform = "scaleX(" + done.toFixed(3) + ")";
  };

  Timer.prototype.startHold = function () {
    sounds.holdStarts();
    this.enter("hold", this.hold, this.words.hold);
    this.say(this.where() + ". " + this.words.hold);
  };

  /* What comes after the stretch that just ended. */
  Timer.prototype.next = function () {
    this.halt();
    if (this.phase === "ready" || this.phase === "rest") { this.startHold(); return; }
    if (this.phase === "minutes") { this.finish(this.words.time_up); return; }
    if (this.rep < this.reps) {
      sounds.holdEnds();
      this.say(fill(this.words.rep_done, { rep: this.rep }));
      this.rep += 1;
      this.enter("rest", this.rest, this.words.relax);
      return;
    }
    if (this.set < this.sets) {
      sounds.holdEnds();
      var text = fill(this.words.set_done, { set: this.set });
      this.parts.run.hidden = true;
      this.parts.end.hidden = false;
      this.parts.next.hidden = false;
      this.root.setAttribute("data-phase", "between-sets");
      this.say(text);
      this.parts.next.focus();
      return;
    }
    this.finish(this.words.all_done);
  };

  Timer.prototype.nextSet = function () {
    wakeAudio();
    this.set += 1;
    this.rep = 1;
    this.show(true);
    this.setPaused(false);
    this.enter("ready", this.ready, this.words.get_ready);
    this.say(this.words.get_ready);
    this.parts.pause.focus();
  };

  /* The untaken tick of this row (its first session not yet ticked), if there is one. */
  Timer.prototype.untickedBox = function () {
    return this.row.querySelector(".exercise__tick[aria-pressed=false], .exercise__session[aria-pressed=false]");
  };

  Timer.prototype.finish = function (text) {
    sounds.allDone();
    letSleep(this);
    this.show(false);
    this.root.setAttribute("data-phase", "done");
    this.parts.label.textContent = this.words.again;
    var box = this.untickedBox();
    this.parts.end.hidden = !box;
    this.parts.tick.hidden = !box;
    this.say(text);
    (box ? this.parts.tick : this.parts.start).focus();
  };

  Timer.prototype.tick = function () {
    var box = this.untickedBox();
    if (box) { box.click(); }
  };

  Timer.prototype.setPaused = function (paused) {
    this.paused = paused;
    this.parts.pause.textContent = paused ? this.words.go_on : this.words.pause;
    this.root.classList.toggle("is-paused", paused);
  };

  Timer.prototype.togglePause = function () {
    if (this.paused) {
      wakeAudio();
      keepAwake(this);
      this.setPaused(false);
      this.deadline = performance.now() + this.left;
      this.run();
      this.say(this.parts.phase.textContent);
    } else {
      this.halt();
      this.left = Math.max(0, this.deadline - performance.now());
      this.setPaused(true);
      letSleep(this);
      this.say(this.words.paused);
    }
  };

  Timer.prototype.stop = function () {
    this.halt();
    letSleep(this);
    this.setPaused(false);
    this.show(false);
    this.root.removeAttribute("data-phase");
    this.parts.label.textContent = this.words.again;
    this.say(this.words.stopped);
    this.parts.start.focus();
  };

  function enhance(root) {
    var timers = root.matches && root.matches("[data-timer]") ? [root] : [];
    Array.prototype.push.apply(timers, root.querySelectorAll ? root.querySelectorAll("[data-timer]") : []);
    timers.forEach(function (element) {
      if (element.timer) { return; }
      try { element.timer = new Timer(element); } catch (error) { element.hidden = true; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.detail.elt); });
})();
