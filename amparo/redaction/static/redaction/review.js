/* The redaction editor: tracks of boxes drawn on a canvas over the picture or the video, edited with a pointer or
   the keyboard, saved through the page's own form. No framework and no build step; every text reaches the page as
   a text node (textContent), never as HTML.

   A track keeps key boxes [frame, x, y, w, h, score] in the original's pixels; the box at a frame between two key
   boxes is their linear interpolation, and a track covers the frames from its first key box to its last. This is
   the renderer's rule (amparo/media/redact/model.py, Track.at), so what is drawn here is what gets hidden. */
(function () {
  "use strict";

  var dataNode = document.getElementById("redact-data");
  var media = document.getElementById("redact-media");
  var canvas = document.getElementById("redact-canvas");
  if (!dataNode || !media || !canvas) {
    return;
  }
  var data = JSON.parse(dataNode.textContent);
  var S = JSON.parse(document.getElementById("redact-strings").textContent);
  var ctx = canvas.getContext("2d");
  var tools = document.getElementById("redact-tools");
  var list = document.getElementById("redact-tracks");
  var status = document.getElementById("redact-status");
  var frameLabel = document.getElementById("redact-frame-label");
  var form = document.getElementById("redact-form");
  var fallback = document.getElementById("redact-fallback");
  var seek = document.getElementById("redact-seek");
  var isVideo = data.kind === "video";
  var editable = Boolean(data.editable && form);
  var tracks = JSON.parse(JSON.stringify(data.tracks || []));
  var W = data.media.width || 0;
  var H = data.media.height || 0;
  var fps = data.media.fps || 25;
  var frames = data.media.frames || 1;
  var selected = -1;
  var drag = null;
  var dirty = false;
  var frameShown = 0;
  /* Where the viewing copy's first frame lies on the player's clock: an H.264 copy with B-frames starts a few
     frames late (its composition offset), and the player opens on that first frame. Frame n of the original is
     shown at origin + n / fps (the copy keeps every frame's time from the original's start). */
  var origin = 0;
  var moved = false; /* the reviewer has sought a frame: the origin is kept from then on */
  var HANDLE = 14; /* CSS pixels of the resize handle */

  function say(template, values) {
    return String(template).replace(/%\((\w+)\)s/g, function (_m, key) {
      return values && key in values ? String(values[key]) : "";
    });
  }

  function announce(text) {
    status.textContent = text;
  }

  function labelName(label) {
    return S[label] || label;
  }

  /* ---- geometry -------------------------------------------------------------------------------------------- */

  function currentFrame() {
    if (!isVideo) {
      return 0;
    }
    return Math.max(0, Math.min(frames - 1, Math.floor((media.currentTime - origin) * fps + 1e-3)));
  }

  function boxAt(track, f) {
    var keys = track.boxes;
    if (!keys.length || f < keys[0][0] || f > keys[keys.length - 1][0]) {
      return null;
    }
    var lo = 0;
    var hi = keys.length - 1;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      if (keys[mid][0] <= f) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    var a = keys[lo];
    var b = keys[hi];
    if (a[0] === f || a[0] === b[0]) {
      return [f, a[1], a[2], a[3], a[4], a[5]];
    }
    if (b[0] === f) {
      return b.slice();
    }
    var t = (f - a[0]) / (b[0] - a[0]);
    return [f, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t, a[3] + (b[3] - a[3]) * t,
      a[4] + (b[4] - a[4]) * t, Math.min(a[5], b[5])];
  }

  function clampBox(box) {
    var w = Math.max(4, Math.min(box[3], W));
    var h = Math.max(4, Math.min(box[4], H));
    var x = Math.max(0, Math.min(box[1], W - w));
    var y = Math.max(0, Math.min(box[2], H - h));
    return [box[0], Math.round(x * 100) / 100, Math.round(y * 100) / 100, Math.round(w * 100) / 100,
      Math.round(h * 100) / 100, 1];
  }

  function setKey(track, box) {
    var keys = track.boxes;
    box = clampBox(box);
    track.source = "person";
    for (var i = 0; i < keys.length; i++) {
      if (keys[i][0] === box[0]) {
        keys[i] = box;
        return;
      }
      if (keys[i][0] > box[0]) {
        keys.splice(i, 0, box);
        return;
      }
    }
    keys.push(box);
  }

  function scale() {
    return canvas.clientWidth / (W || 1);
  }

  /* ---- drawing --------------------------------------------------------------------------------------------- */

  function layout() {
    if (!W || !H) {
      W = media.naturalWidth || media.videoWidth || 0;
      H = media.naturalHeight || media.videoHeight || 0;
    }
    var ratio = window.devicePixelRatio || 1;
    /* exactly over the shown picture, whatever room the stage gives it */
    canvas.style.width = media.clientWidth + "px";
    canvas.style.height = media.clientHeight + "px";
    canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    draw();
  }

  function draw() {
    var f = currentFrame();
    frameShown = f;
    var k = scale();
    ctx.clearRect(0, 0, canvas.clientWidth, canvas.clientHeight);
    ctx.font = "12px system-ui, sans-serif";
    tracks.forEach(function (track, i) {
      var b = boxAt(track, f);
      if (!b) {
        return;
      }
      var x = b[1] * k;
      var y = b[2] * k;
      var w = b[3] * k;
      var h = b[4] * k;
      var on = i === selected;
      if (data.style === "box") {
        ctx.fillStyle = "rgba(0,0,0,0.55)";
        ctx.fillRect(x, y, w, h);
      }
      ctx.lineWidth = on ? 3 : 2;
      ctx.strokeStyle = on ? "#ffcc00" : "#ff3b30";
      ctx.strokeRect(x, y, w, h);
      ctx.fillStyle = on ? "#ffcc00" : "#ff3b30";
      ctx.fillText(labelName(track.label) + " " + track.id, x + 2, Math.max(12, y - 3));
      if (on && editable) {
        ctx.fillRect(x + w - HANDLE / 2, y + h - HANDLE / 2, HANDLE, HANDLE);
      }
    });
    if (isVideo) {
      frameLabel.textContent = say(S.frame, {n: f + 1, total: frames});
      if (seek && document.activeElement !== seek) {
        seek.value = String(f);
      }
    } else {
      frameLabel.textContent = S.picture;
    }
  }

  function renderList() {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    tracks.forEach(function (track, i) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "redact-track" + (i === selected ? " selected" : "");
      button.setAttribute("aria-pressed", i === selected ? "true" : "false");
      var keys = track.boxes;
      var text = labelName(track.label) + " " + track.id;
      if (isVideo && keys.length) {
        text += " · " + say(S.frames, {a: keys[0][0] + 1, b: keys[keys.length - 1][0] + 1});
      }
      button.textContent = text;
      button.addEventListener("click", function () {
        select(i, true);
        canvas.focus();
      });
      item.appendChild(button);
      list.appendChild(item);
    });
  }

  function select(i, seek) {
    selected = i;
    if (i >= 0 && seek && isVideo && !boxAt(tracks[i], currentFrame())) {
      seekTo(tracks[i].boxes[0][0]);
    }
    renderList();
    draw();
    if (i >= 0) {
      announce(say(S.selected, {label: labelName(tracks[i].label), id: tracks[i].id}));
    } else {
      announce(S.none);
    }
  }

  function changed(message) {
    dirty = true;
    renderList();
    draw();
    announce(message ? message + " " + S.unsaved : S.unsaved);
  }

  function seekTo(f) {
    if (!isVideo) {
      return;
    }
    moved = true;
    media.pause();
    media.currentTime = origin + (Math.max(0, Math.min(frames - 1, f)) + 0.5) / fps;
  }

  /* ---- editing --------------------------------------------------------------------------------------------- */

  function selectedBox() {
    if (selected < 0) {
      return null;
    }
    return boxAt(tracks[selected], currentFrame());
  }

  function addRegion() {
    var f = currentFrame();
    var w = Math.round(W / 6);
    var h = Math.round(H / 6);
    var box = clampBox([f, (W - w) / 2, (H - h) / 2, w, h, 1]);
    var labelSelect = document.getElementById("redact-label");
    var track = {
      id: "p" + Date.now().toString(36),
      label: labelSelect ? labelSelect.value : "face",
      source: "person",
      boxes: [box]
    };
    if (isVideo) { /* two seconds from here, or to the end: a person then moves its ends */
      var end = Math.min(frames - 1, f + Math.round(2 * fps));
      if (end > f) {
        track.boxes.push([end, box[1], box[2], box[3], box[4], 1]);
      }
    }
    tracks.push(track);
    selected = tracks.length - 1;
    changed(S.added);
  }

  function deleteRegion() {
    if (selected < 0) {
      return;
    }
    tracks.splice(selected, 1);
    selected = -1;
    changed(S.deleted);
  }

  function moveBy(dx, dy, resize) {
    var b = selectedBox();
    if (!b) {
      return;
    }
    if (resize) {
      b[3] += dx;
      b[4] += dy;
    } else {
      b[1] += dx;
      b[2] += dy;
    }
    setKey(tracks[selected], b);
    changed("");
  }

  function stretch(from) {
    if (selected < 0 || !isVideo) {
      return;
    }
    var track = tracks[selected];
    var keys = track.boxes;
    var f = currentFrame();
    var edge = from ? keys[0] : keys[keys.length - 1];
    var box = boxAt(track, f) || [f, edge[1], edge[2], edge[3], edge[4], 1];
    box[0] = f;
    track.boxes = keys.filter(function (k) {
      return from ? k[0] > f : k[0] < f;
    });
    setKey(track, box);
    changed(say(from ? S.from : S.to, {id: track.id, n: f + 1}));
  }

  /* ---- pointer --------------------------------------------------------------------------------------------- */

  function pointAt(event) {
    var rect = canvas.getBoundingClientRect();
    return {x: event.clientX - rect.left, y: event.clientY - rect.top};
  }

  function hit(p) {
    var f = currentFrame();
    var k = scale();
    if (selected >= 0) {
      var s = boxAt(tracks[selected], f);
      if (s && editable && Math.abs(p.x - (s[1] + s[3]) * k) <= HANDLE && Math.abs(p.y - (s[2] + s[4]) * k) <= HANDLE) {
        return {index: selected, mode: "resize", box: s};
      }
    }
    for (var i = tracks.length - 1; i >= 0; i--) {
      var b = boxAt(tracks[i], f);
      if (b && p.x >= b[1] * k && p.x <= (b[1] + b[3]) * k && p.y >= b[2] * k && p.y <= (b[2] + b[4]) * k) {
        return {index: i, mode: "move", box: b};
      }
    }
    return null;
  }

  canvas.addEventListener("pointerdown", function (event) {
    var p = pointAt(event);
    var found = hit(p);
    canvas.focus();
    if (!found) {
      select(-1, false);
      return;
    }
    if (found.index !== selected) {
      select(found.index, false);
    }
    if (!editable) {
      return;
    }
    if (isVideo) {
      media.pause();
    }
    drag = {start: p, mode: found.mode, box: found.box.slice(), moved: false};
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });

  canvas.addEventListener("pointermove", function (event) {
    if (!drag) {
      return;
    }
    var p = pointAt(event);
    var k = scale();
    var dx = (p.x - drag.start.x) / k;
    var dy = (p.y - drag.start.y) / k;
    var b = drag.box.slice();
    if (drag.mode === "resize") {
      b[3] += dx;
      b[4] += dy;
    } else {
      b[1] += dx;
      b[2] += dy;
    }
    b[0] = currentFrame();
    setKey(tracks[selected], b);
    drag.moved = true;
    draw();
  });

  function endDrag() {
    if (drag && drag.moved) {
      changed("");
    }
    drag = null;
  }
  canvas.addEventListener("pointerup", endDrag);
  canvas.addEventListener("pointercancel", endDrag);

  /* ---- keyboard -------------------------------------------------------------------------------------------- */

  canvas.addEventListener("keydown", function (event) {
    var step = Math.max(1, Math.round(Math.max(W, H) / 100));
    var arrows = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
    if (arrows[event.key] && selected >= 0 && editable) {
      moveBy(arrows[event.key][0], arrows[event.key][1], event.shiftKey);
    } else if ((event.key === "Delete" || event.key === "Backspace") && editable) {
      deleteRegion();
    } else if ((event.key === "n" || event.key === "N") && editable) {
      addRegion();
    } else if (event.key === "," && isVideo) {
      seekTo(currentFrame() - 1);
    } else if (event.key === "." && isVideo) {
      seekTo(currentFrame() + 1);
    } else if (event.key === " " && isVideo) {
      if (media.paused) {
        media.play();
      } else {
        media.pause();
      }
    } else if (event.key === "Escape") {
      select(-1, false);
    } else {
      return;
    }
    event.preventDefault();
  });

  /* ---- buttons and the form -------------------------------------------------------------------------------- */

  function on(id, handler) {
    var node = document.getElementById(id);
    if (node) {
      node.addEventListener("click", function () {
        handler();
        canvas.focus();
      });
    }
  }
  on("redact-add", addRegion);
  on("redact-delete", deleteRegion);
  on("redact-from", function () { stretch(true); });
  on("redact-to", function () { stretch(false); });
  on("redact-play", function () {
    if (media.paused) {
      media.play();
    } else {
      media.pause();
    }
  });
  if (seek) {
    seek.max = String(frames - 1);
    seek.addEventListener("input", function () {
      seekTo(Number(seek.value));
    });
  }
  on("redact-prev", function () { seekTo(currentFrame() - 1); });
  on("redact-next", function () { seekTo(currentFrame() + 1); });

  if (form) {
    form.addEventListener("submit", function () {
      document.getElementById("redact-tracks-json").value = JSON.stringify(tracks);
      dirty = false;
    });
    form.querySelectorAll("input[name=style]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        data.style = radio.value;
        draw();
      });
    });
  }
  window.addEventListener("beforeunload", function (event) {
    if (dirty) {
      event.preventDefault();
    }
  });

  /* ---- start ----------------------------------------------------------------------------------------------- */

  function redrawWhilePlaying() {
    if (media.requestVideoFrameCallback) {
      media.requestVideoFrameCallback(function () {
        draw();
        redrawWhilePlaying();
      });
    } else if (!media.paused) {
      window.requestAnimationFrame(function () {
        draw();
        redrawWhilePlaying();
      });
    }
  }

  function start() {
    origin = isVideo ? media.currentTime || 0 : 0;
    canvas.hidden = false;
    tools.hidden = false;
    if (fallback) {
      fallback.hidden = true; /* the script's list replaces the tick boxes; its JSON is what the form sends */
    }
    layout();
    renderList();
    if (tracks.length) {
      announce(S.none);
    }
    canvas.dataset.ready = "1";
  }

  window.addEventListener("resize", layout);
  if (isVideo) {
    media.controls = false; /* the canvas lies over the player: its own buttons and slider replace the controls */
    ["seeked", "timeupdate", "pause", "play"].forEach(function (name) {
      media.addEventListener(name, function () {
        if (currentFrame() !== frameShown || name !== "timeupdate") {
          draw();
        }
      });
    });
    media.addEventListener("play", redrawWhilePlaying);
    if (media.readyState >= 1) {
      start();
    } else {
      media.addEventListener("loadedmetadata", start, {once: true});
    }
    /* the player's clock may still read 0 at the metadata for a copy whose first frame lies later: read the origin
       again once the first picture is there, unless the reviewer has already moved */
    media.addEventListener("loadeddata", function () {
      if (!moved) {
        origin = media.currentTime || 0;
        draw();
      }
    }, {once: true});
  } else if (media.complete && media.naturalWidth) {
    start();
  } else {
    media.addEventListener("load", start, {once: true});
  }
}());
