/* Reads a note or message for warning signs written in words, on the phone, so the offline page can
   show the urgent message before the log is sent. It takes the phrase lists the server renders into
   the page (app/care/warning_words.py, page_data) and does the same steps in the same order as that
   module; tests/test_warning_words.py runs every corpus sentence through both and expects the same
   answer. The server reads the text again when it arrives.

   BacktrackWarningWords.find(text, data) -> [{key, urgency, words: [quoted words]}], emergencies
   first. It never throws: on any failure it answers [] and the server's reading stands (`read` is
   the same without that guard, for the tests). */
(function (root) {
  "use strict";

  var compiledFor = typeof WeakMap === "function" ? new WeakMap() : null;

  function everywhere(source) { return new RegExp(source, "g"); }

  function compile(data) {
    var cached = compiledFor && compiledFor.get(data);
    if (cached) { return cached; }
    var t = data.temperature;
    var lists = {};
    data.cues_before.concat(data.cues_after, ["clause_breaks", "pseudo_negation"]).forEach(function (name) {
      lists[name] = everywhere(data[name]);
    });
    var compiled = {
      findings: data.findings.map(function (f) {
        return { name: f.name, pattern: everywhere(f.pattern), unless: f.unless ? new RegExp(f.unless) : null };
      }),
      lists: lists,
      number: everywhere(t.number),
      context: everywhere(t.context),
      unit: new RegExp(t.unit),
      notBody: new RegExp(t.not_body)
    };
    if (compiledFor) { compiledFor.set(data, compiled); }
    return compiled;
  }

  /* The text as the patterns read it: lower case ASCII letters, digits, a few marks and single
     spaces; starts/ends give each character's place in the original text, for quoting. */
  function plain(text, characters, limits) {
    var out = [], starts = [], ends = [];
    function last() { return out.length ? out[out.length - 1] : ""; }
    function put(c, index, size) { out.push(c); starts.push(index); ends.push(index + size); }
    function space(index, size) { if (out.length && last() !== " ") { put(" ", index, size); } }
    function unspace() { if (last() === " ") { out.pop(); starts.pop(); ends.pop(); } }
    function digit(c) { return c >= "0" && c <= "9"; }

    var index = 0, count = 0;
    while (index < text.length) {
      if (count >= limits.max_chars || out.length >= limits.max_normalised) { break; }
      var size = 1, code = text.charCodeAt(index);
      if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
        var low = text.charCodeAt(index + 1);
        if (low >= 0xdc00 && low <= 0xdfff) { size = 2; }
      }
      var char = text.substr(index, size);
      var mapped = Object.prototype.hasOwnProperty.call(characters, char) ? characters[char] : char;
      var pieces = mapped.normalize("NFKD").toLowerCase();
      for (var j = 0; j < pieces.length; j++) {
        var piece = pieces.charAt(j), pieceCode = pieces.charCodeAt(j);
        if (pieceCode >= 0x300 && pieceCode <= 0x36f) { continue; }
        if (piece >= "a" && piece <= "z") {
          if (out.length >= 2 && out[out.length - 1] === piece && out[out.length - 2] === piece) {
            ends[ends.length - 1] = index + size;  // "NUMBBBB" reads "numbb" and is quoted whole
          } else {
            put(piece, index, size);
          }
        } else if (digit(piece) || piece === "'") {
          put(piece, index, size);
        } else if (piece === "." || piece === ",") {
          if (out.length && digit(last())) {
            put(piece, index, size);
          } else {
            unspace(); put(piece, index, size); put(" ", index, size);
          }
        } else if (";:!?".indexOf(piece) >= 0) {
          unspace(); put(piece, index, size); put(" ", index, size);
        } else if (piece === "\u00b0") {
          space(index, size); put("d", index, size); put("e", index, size); put("g", index, size);
          put(" ", index, size);
        } else {
          space(index, size);
        }
      }
      index += size;
      count += 1;
    }
    unspace();
    return { text: out.join(""), starts: starts, ends: ends, read: count };
  }

  function wordlike(c) { return (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c === "'"; }

  function bisectRight(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (value < list[mid]) { hi = mid; } else { lo = mid + 1; } }
    return lo;
  }

  function bisectLeft(list, value) {
    var lo = 0, hi = list.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (list[mid] < value) { lo = mid + 1; } else { hi = mid; } }
    return lo;
  }

  function Reading(plainText, compiled, data) {
    var self = this;
    this.plain = plainText;
    this.text = plainText.text;
    this.compiled = compiled;
    this.data = data;
    this.limits = data.limits;
    this.work = plainText.read;
    var counts = [0];
    for (var i = 0; i < this.text.length; i++) {
      var starts = wordlike(this.text.charAt(i)) && (i === 0 || !wordlike(this.text.charAt(i - 1)));
      counts.push(counts[i] + (starts ? 1 : 0));
    }
    this.wordCounts = counts;
    var lists = compiled.lists;
    var breaks = this.hits(lists.clause_breaks, this.limits.max_breaks);
    this.breakStarts = breaks.map(function (b) { return b[0]; });
    this.breakEnds = breaks.map(function (b) { return b[1]; });
    var pseudo = this.hits(lists.pseudo_negation, this.limits.max_cues);
    function cues(names) {
      var found = [];
      names.forEach(function (name) { found = found.concat(self.hits(lists[name], self.limits.max_cues)); });
      return found.filter(function (c) {
        return !pseudo.some(function (p) { return p[0] < c[1] && c[0] < p[1]; });
      });
    }
    this.cuesBefore = cues(data.cues_before);
    this.cuesAfter = cues(data.cues_after);
  }

  Reading.prototype.hits = function (pattern, limit) {
    var text = this.text;
    this.work += text.length;
    var found = [], match;
    pattern.lastIndex = 0;
    while ((match = pattern.exec(text)) !== null) {
      if (found.length >= limit) { break; }
      found.push([match.index, match.index + match[0].length]);
      if (match[0].length === 0) { pattern.lastIndex += 1; }
    }
    return found;
  };

  Reading.prototype.words = function (start, end) { return this.wordCounts[end] - this.wordCounts[start]; };

  Reading.prototype.scope = function (start, end) {
    var before = bisectRight(this.breakEnds, start) - 1;
    var after = bisectLeft(this.breakStarts, end);
    return [
      before >= 0 ? this.breakEnds[before] : 0,
      after < this.breakStarts.length ? this.breakStarts[after] : this.text.length
    ];
  };

  Reading.prototype.silenced = function (start, end, unless) {
    var scope = this.scope(start, end), first = scope[0], last = scope[1];
    this.work += 1 + this.cuesBefore.length + this.cuesAfter.length;
    var i, cue;
    for (i = 0; i < this.cuesBefore.length; i++) {
      cue = this.cuesBefore[i];
      if (cue[0] >= first && cue[1] <= start && this.words(cue[1], start) <= this.limits.window_before) { return true; }
    }
    for (i = 0; i < this.cuesAfter.length; i++) {
      cue = this.cuesAfter[i];
      if (cue[0] >= end && cue[1] <= last && this.words(end, cue[0]) <= this.limits.window_after) { return true; }
    }
    if (unless) {
      var clause = this.text.slice(first, last);
      this.work += clause.length;
      if (unless.test(clause)) { return true; }
    }
    return false;
  };

  Reading.prototype.temperatures = function () {
    var t = this.data.temperature, compiled = this.compiled;
    var contexts = this.hits(compiled.context, this.limits.max_cues);
    var fevers = [], low = {};
    var numbers = this.hits(compiled.number, this.limits.max_hits);
    for (var n = 0; n < numbers.length; n++) {
      var start = numbers[n][0], end = numbers[n][1];
      var value = parseFloat(this.text.slice(start, end).replace(",", "."));
      var fever;
      if (t.celsius[0] <= value && value <= t.celsius[1]) {
        fever = value >= t.fever_celsius;
      } else if (t.fahrenheit[0] <= value && value <= t.fahrenheit[1]) {
        fever = value >= t.fever_fahrenheit;
      } else {
        continue;
      }
      var scope = this.scope(start, end), first = scope[0], last = scope[1];
      var following = this.text.slice(end, end + t.unit_reach);
      this.work += following.length + contexts.length;
      var unit = compiled.unit.exec(following);
      var before = null, after = null;
      for (var c = 0; c < contexts.length; c++) {
        var cs = contexts[c][0], ce = contexts[c][1];
        if (cs >= first && ce <= start && this.words(ce, start) <= t.context_before) { before = contexts[c]; }
        if (after === null && cs >= end && ce <= last && this.words(end, cs) <= t.context_after) { after = contexts[c]; }
      }
      if (unit === null && before === null && after === null) { continue; }
      if (before === null && after === null) {
        var clause = this.text.slice(first, last);
        this.work += clause.length;
        if (compiled.notBody.test(clause)) { continue; }
      }
      if (fever) {
        var quoteStart = before ? before[0] : start;
        var quoteEnd = unit ? end + unit.index + unit[0].length : (after && !before ? after[1] : end);
        fevers.push([quoteStart, quoteEnd]);
      } else {
        low[first] = true;
      }
    }
    return { fevers: fevers, low: low };
  };

  function merged(spans) {
    var out = [];
    spans.forEach(function (span) {
      var previous = out[out.length - 1];
      if (previous && span[0] < previous[1]) {
        previous[1] = Math.max(previous[1], span[1]);
      } else {
        out.push([span[0], span[1]]);
      }
    });
    return out;
  }

  function read(text, data) {
    var original = typeof text === "string" ? text : "";
    var compiled = compile(data);
    var plainText = plain(original, data.characters, data.limits);
    var reading = new Reading(plainText, compiled, data);
    var temperatures = reading.temperatures();
    var feverFinding = data.temperature.finding;
    var found = {};
    function add(name, start, end) { (found[name] = found[name] || []).push([start, end]); }
    compiled.findings.forEach(function (finding) {
      reading.hits(finding.pattern, reading.limits.max_hits).forEach(function (hit) {
        if (finding.name === feverFinding && temperatures.low[reading.scope(hit[0], hit[1])[0]]) { return; }
        if (!reading.silenced(hit[0], hit[1], finding.unless)) { add(finding.name, hit[0], hit[1]); }
      });
    });
    temperatures.fevers.forEach(function (hit) {
      if (!reading.silenced(hit[0], hit[1], null)) { add(feverFinding, hit[0], hit[1]); }
    });
    var matches = [];
    data.signs.forEach(function (sign) {
      var seen = {}, spans = [];
      sign.when.forEach(function (names) {
        if (!names.every(function (name) { return found[name]; })) { return; }
        names.forEach(function (name) {
          found[name].forEach(function (span) {
            var key = span[0] + ":" + span[1];
            if (!seen[key]) { seen[key] = true; spans.push(span); }
          });
        });
      });
      if (!spans.length) { return; }
      spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
      var words = [];
      merged(spans).forEach(function (span) {
        var quoted = original.slice(plainText.starts[span[0]], plainText.ends[span[1] - 1]);
        if (words.indexOf(quoted) < 0) { words.push(quoted); }
      });
      matches.push({ key: sign.key, urgency: sign.urgency, words: words });
    });
    return matches;
  }

  function find(text, data) {
    try {
      return read(text, data);
    } catch (error) {
      return [];
    }
  }

  root.BacktrackWarningWords = { find: find, read: read };
}(typeof self !== "undefined" ? self : this));
